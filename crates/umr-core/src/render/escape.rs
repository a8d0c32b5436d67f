//! Escaping for every output context. Everything taken from a record goes through one of
//! these functions before it reaches an output document; the rules are listed in
//! `docs/publishing.md`.
//!
//! - [`clean`] first removes characters that have no place in rendered text: C0 and C1
//!   control characters (tab and newline are kept), DEL, the Unicode non-characters, and
//!   the bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069),
//!   which could make rendered text read differently from what it is.
//! - [`html`] escapes `& < > " '` (safe in element text and in quoted attribute values).
//! - [`link`] accepts only absolute `http`, `https` and `mailto` URLs and returns them
//!   normalised (percent-encoded by the `url` crate); anything else is not a link and is
//!   shown as text.
//! - [`latex`] turns every TeX special (`\ { } $ & # ^ _ % ~`) and the characters that
//!   change meaning in some contexts (`[ ] < > | "`) into inert commands, so `\write18`,
//!   `\input` and catcode tricks come out as printed text.
//! - [`markdown`] backslash-escapes every ASCII punctuation character (CommonMark allows
//!   that for all of them) and collapses line breaks, so no Markdown or raw HTML
//!   construct can start inside a value.
//! - [`xml`] escapes `& < > " '` for SVG text and attributes.

/// Remove control characters (except tab and newline), DEL, non-characters and bidi
/// controls; normalise `\r\n` and `\r` to `\n`.
pub fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars().filter(|c| keep(*c)).collect()
}

fn keep(c: char) -> bool {
    let u = c as u32;
    if c == '\n' || c == '\t' {
        return true;
    }
    if u < 0x20 || (0x7f..=0x9f).contains(&u) {
        return false;
    }
    if (0x202a..=0x202e).contains(&u) || (0x2066..=0x2069).contains(&u) {
        return false;
    }
    if (0xfdd0..=0xfdef).contains(&u) || (u & 0xfffe) == 0xfffe {
        return false;
    }
    true
}

/// Text on one line: cleaned, runs of whitespace (newlines included) collapsed to one space,
/// trimmed.
pub fn one_line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escape for HTML element text and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escape for XML (SVG) text and quoted attribute values.
pub fn xml(s: &str) -> String {
    html(s)
}

/// A URL that may become a link: absolute `http`, `https` or `mailto` only, returned in
/// the normalised form of the `url` crate (non-ASCII and unsafe characters
/// percent-encoded). `None` for anything else (`javascript:`, `data:`, relative
/// references, text with spaces…).
pub fn link(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    #[cfg(feature = "url")]
    {
        let u = url::Url::parse(t).ok()?;
        match u.scheme() {
            "http" | "https" => {
                u.host_str()?;
                Some(u.as_str().to_string())
            }
            "mailto" => Some(u.as_str().to_string()),
            _ => None,
        }
    }
    // without the url crate (special schemes always have a host when they parse)
    #[cfg(not(feature = "url"))]
    {
        let u = crate::validate::url_lite::parse(t).ok()?;
        match u.scheme() {
            "http" | "https" | "mailto" => Some(u.href),
            _ => None,
        }
    }
}

/// Escape text for LaTeX (inline: newlines become spaces).
pub fn latex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in one_line(s).chars() {
        latex_char(c, &mut out);
    }
    out
}

/// Escape a URL for the argument of `\url{…}`/`\href{…}{…}` — the URL has passed
/// [`link`], so it holds no spaces or braces; `%`, `#`, `\`, `^`, `~`, `&`, `_` and `$`
/// are escaped for hyperref.
pub fn latex_url(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '%' | '#' | '&' | '_' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("%5C"),
            '^' => out.push_str("%5E"),
            '~' => out.push_str("\\~{}"),
            c if c.is_ascii_graphic() => out.push(c),
            c => {
                let mut b = [0u8; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    out.push_str(&format!("\\%{byte:02X}"));
                }
            }
        }
    }
    out
}

fn latex_char(c: char, out: &mut String) {
    match c {
        '\\' => out.push_str("\\textbackslash{}"),
        '{' => out.push_str("\\{"),
        '}' => out.push_str("\\}"),
        '$' => out.push_str("\\$"),
        '&' => out.push_str("\\&"),
        '#' => out.push_str("\\#"),
        '^' => out.push_str("\\textasciicircum{}"),
        '_' => out.push_str("\\_"),
        '%' => out.push_str("\\%"),
        '~' => out.push_str("\\textasciitilde{}"),
        '<' => out.push_str("\\textless{}"),
        '>' => out.push_str("\\textgreater{}"),
        '|' => out.push_str("\\textbar{}"),
        '"' => out.push_str("\\textquotedbl{}"),
        '[' => out.push_str("{[}"),
        ']' => out.push_str("{]}"),
        '`' => out.push_str("\\textasciigrave{}"),
        '\'' => out.push_str("\\textquotesingle{}"),
        '-' => out.push_str("-{}"),
        '\t' => out.push(' '),
        c if c.is_ascii() => out.push(c),
        c => match latex_unicode(c) {
            Some(rep) => out.push_str(rep),
            None if latin_ok(c) => out.push(c),
            None => out.push_str(&format!("\\umrchar{{{:04X}}}", c as u32)),
        },
    }
}

/// Characters that pdfLaTeX (T1 fonts, UTF-8 input) prints as they are: Latin-1 and the
/// Latin Extended-A letters that T1 encodes.
fn latin_ok(c: char) -> bool {
    let u = c as u32;
    (0xc0..=0xff).contains(&u) && u != 0xd7 && u != 0xf7
        || matches!(
            u,
            0x102..=0x107 | 0x10c..=0x111 | 0x118..=0x11b | 0x11e..=0x11f | 0x130..=0x131
                | 0x139..=0x13a | 0x13d..=0x13e | 0x141..=0x144 | 0x147..=0x148
                | 0x150..=0x155 | 0x158..=0x15b | 0x15e..=0x165 | 0x16e..=0x171
                | 0x178..=0x17e
        )
}

/// Replacements for common characters outside what pdfLaTeX prints directly.
fn latex_unicode(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "~",
        '\u{a9}' => "\\textcopyright{}",
        '\u{ae}' => "\\textregistered{}",
        '\u{b0}' => "\\textdegree{}",
        '\u{b1}' => "\\textpm{}",
        '\u{b5}' => "\\textmu{}",
        '\u{b7}' => "\\textperiodcentered{}",
        '\u{d7}' => "\\texttimes{}",
        '\u{f7}' => "\\textdiv{}",
        '\u{a7}' => "\\S{}",
        '\u{b6}' => "\\P{}",
        '\u{ab}' => "\\guillemotleft{}",
        '\u{bb}' => "\\guillemotright{}",
        '\u{bf}' => "\\textquestiondown{}",
        '\u{a1}' => "\\textexclamdown{}",
        '\u{a3}' => "\\pounds{}",
        '\u{2013}' => "\\textendash{}",
        '\u{2014}' => "\\textemdash{}",
        '\u{2018}' => "\\textquoteleft{}",
        '\u{2019}' => "\\textquoteright{}",
        '\u{201c}' => "\\textquotedblleft{}",
        '\u{201d}' => "\\textquotedblright{}",
        '\u{2022}' => "\\textbullet{}",
        '\u{2026}' => "\\ldots{}",
        '\u{2020}' => "\\dag{}",
        '\u{2021}' => "\\ddag{}",
        '\u{2030}' => "\\textperthousand{}",
        '\u{20ac}' => "\\texteuro{}",
        '\u{2122}' => "\\texttrademark{}",
        '\u{2190}' => "\\textleftarrow{}",
        '\u{2192}' => "\\textrightarrow{}",
        '\u{2191}' => "\\textuparrow{}",
        '\u{2193}' => "\\textdownarrow{}",
        '\u{2264}' => "\\ensuremath{\\leq}",
        '\u{2265}' => "\\ensuremath{\\geq}",
        '\u{2260}' => "\\ensuremath{\\neq}",
        '\u{2248}' => "\\ensuremath{\\approx}",
        '\u{221e}' => "\\ensuremath{\\infty}",
        '\u{2212}' => "\\textminus{}",
        '\u{26a0}' => "(!)",
        '\u{2713}' => "\\ensuremath{\\checkmark}",
        '\u{3b1}' => "\\ensuremath{\\alpha}",
        '\u{3b2}' => "\\ensuremath{\\beta}",
        '\u{3b3}' => "\\ensuremath{\\gamma}",
        '\u{3b4}' => "\\ensuremath{\\delta}",
        '\u{3b5}' => "\\ensuremath{\\epsilon}",
        '\u{3bb}' => "\\ensuremath{\\lambda}",
        '\u{3bc}' => "\\ensuremath{\\mu}",
        '\u{3c0}' => "\\ensuremath{\\pi}",
        '\u{3c3}' => "\\ensuremath{\\sigma}",
        '\u{3c4}' => "\\ensuremath{\\tau}",
        '\u{3b8}' => "\\ensuremath{\\theta}",
        '\u{3c6}' => "\\ensuremath{\\phi}",
        '\u{3c9}' => "\\ensuremath{\\omega}",
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => "",
        '\u{2009}' | '\u{2002}' | '\u{2003}' | '\u{202f}' => " ",
        _ => return None,
    })
}

/// Escape text for Markdown (inline: newlines become spaces). The characters that can
/// start an inline construct anywhere (`` \ ` * _ [ ] < > & | ~ ! # $ ``) are
/// backslash-escaped, which CommonMark defines as the literal character; so is whatever
/// could open a block at the start of a line (`-`, `+`, `=`, and the `.`/`)` after
/// leading digits of an ordered-list marker).
pub fn markdown(s: &str) -> String {
    let text = one_line(s);
    let mut out = String::with_capacity(text.len() + 16);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!' | '#' | '$'
        ) || (i == 0 && matches!(c, '-' | '+' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL for a Markdown link destination (after [`link`]): characters that could end or
/// confuse the destination are percent-encoded.
pub fn markdown_url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            '\\' => out.push_str("%5C"),
            '`' => out.push_str("%60"),
            '"' => out.push_str("%22"),
            '\'' => out.push_str("%27"),
            ' ' => out.push_str("%20"),
            '*' => out.push_str("%2A"),
            '_' => out.push_str("%5F"),
            _ => out.push(c),
        }
    }
    out
}

/// A safe file or folder name derived from untrusted text (a record name or version):
/// ASCII letters, digits, `.`, `_` and `-` are kept; every other byte becomes `~XX` (hex);
/// a leading `.` is encoded too, so the result is never `.`, `..` or hidden; an empty input
/// becomes `~`. Distinct inputs give distinct outputs (`~` never appears in valid names and
/// is itself encoded).
pub fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, b) in s.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || (b == b'.' && i > 0);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("~{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('~');
    }
    // keep names short enough for every file system
    if out.len() > 150 {
        let digest = crate::render::short_hash(s);
        out.truncate(120);
        out.push('~');
        out.push_str(&digest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(html("a\u{202e}b\u{0}c\u{7f}"), "abc");
    }

    #[test]
    fn links() {
        assert_eq!(link("https://x.org/a b"), None);
        assert_eq!(link("javascript:alert(1)"), None);
        assert_eq!(link("JaVaScRiPt:alert(1)"), None);
        assert_eq!(link("data:text/html,hi"), None);
        assert_eq!(link("//evil.org"), None);
        assert_eq!(
            link("https://x.org/ä").as_deref(),
            Some("https://x.org/%C3%A4")
        );
        assert_eq!(link("mailto:a@b.org").as_deref(), Some("mailto:a@b.org"));
        assert_eq!(link("http://"), None);
    }

    #[test]
    fn latex_escapes() {
        let e = latex("\\write18{rm -rf /} \\input{/etc/passwd} $x$ 50% #1 a_b ^ ~");
        assert!(!e.contains("\\write"));
        assert!(!e.contains("\\input"));
        assert_eq!(latex("[x]"), "{[}x{]}");
        assert_eq!(
            latex("α→β"),
            "\\ensuremath{\\alpha}\\textrightarrow{}\\ensuremath{\\beta}"
        );
        assert_eq!(latex("中"), "\\umrchar{4E2D}");
        assert_eq!(latex("é"), "é");
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(markdown("# *a* <b>"), "\\# \\*a\\* \\<b\\>");
        assert_eq!(markdown("a\n\n# b"), "a \\# b");
        assert_eq!(markdown("- x"), "\\- x");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("a-b.c"), "a-b.c");
    }

    #[test]
    fn path_segments() {
        assert_eq!(path_segment("llama2"), "llama2");
        assert_eq!(path_segment("../x"), "~2E.~2Fx");
        assert_eq!(path_segment("org/x"), "org~2Fx");
        assert_eq!(path_segment(".hidden"), "~2Ehidden");
        assert_eq!(path_segment(""), "~");
        assert_eq!(path_segment("1.0.0+b.1"), "1.0.0~2Bb.1");
        assert_ne!(path_segment("a~2Fb"), path_segment("a/b"));
    }
}
