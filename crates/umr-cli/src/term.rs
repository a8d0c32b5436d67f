//! Text for a terminal: whatever a record supplies (titles, ids, justifications, unknown key
//! names) is printed with its control characters shown, never obeyed. ESC becomes `\e`, other
//! C0 controls `\xNN` (line feeds and tabs stay), DEL and C1 controls `\u{NN}`, bidirectional
//! controls and other invisible characters `\u{NNNN}`: no window title, hidden text,
//! clipboard write or reordered line can come out of a hostile record.
//!
//! JSON output needs none of this: the JSON writers escape every such character as
//! `\uXXXX` (`umr_core::yaml::escape_invisible_json`), which is the same value.

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every character a terminal would act on shown escaped.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if c == '\u{1b}' {
            out.push_str("\\e");
        } else if c == '\r' {
            out.push_str("\\r");
        } else if (c as u32) < 0x20 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c != '\t' && umr_core::yaml::is_invisible(c)
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(clean("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            clean("a\u{1b}]0;pwned\u{7}b\u{9b}31mc\u{202e}d\re\u{7f}"),
            "a\\e]0;pwned\\x07b\\u{9b}31mc\\u{202e}d\\re\\u{7f}"
        );
    }
}
