//! Human rendering of diagnostics: a source snippet with a caret (annotate-snippets).
//! Every piece taken from the input (message, path, file name, source line, help) is
//! cleaned of terminal controls before rendering ([`crate::term::clean`]); the only escape
//! sequences in the result are the renderer's own colours.

use annotate_snippets::{Level, Renderer, Snippet};
use umr_core::{Diagnostic, Severity};

pub fn render(d: &Diagnostic, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    use crate::term::clean;
    let title = clean(&if d.path.is_empty() {
        d.message.clone()
    } else {
        format!("{} (at {})", d.message, d.path)
    })
    .into_owned();
    let origin = clean(d.file.as_deref().unwrap_or_default()).into_owned();
    let code = clean(&d.code).into_owned();
    let source = match (&d.file, d.line) {
        (Some(f), Some(l)) => umr_core::fsutil::read_limited(
            std::path::Path::new(f),
            umr_core::Limits::default().max_file_bytes,
            umr_core::fsutil::ReadFrom::Argument,
        )
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .and_then(|t| t.lines().nth(l.saturating_sub(1)).map(str::to_string)),
        _ => None,
    };
    let help = d.help.as_deref().map(|h| clean(h).into_owned());
    let mut msg = level.title(&title).id(&code);
    let out = match (source, d.line, d.column) {
        (Some(src), Some(line), Some(col)) => {
            let start: usize = src
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            let start = start.min(src.len());
            let end = src[start..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace() || *c == ':')
                .map_or(src.len(), |(i, _)| start + i)
                .max((start + 1).min(src.len()));
            let end = (start..=end)
                .rev()
                .find(|i| src.is_char_boundary(*i))
                .unwrap_or(start);
            // clean the three parts apart, so that the caret stays under its text
            let (before, span, after) = (
                clean(&src[..start]),
                clean(&src[start..end]),
                clean(&src[end..]),
            );
            let (start, end) = (before.len(), before.len() + span.len());
            let shown = format!("{before}{span}{after}");
            let snippet = Snippet::source(&shown)
                .line_start(line)
                .origin(&origin)
                .annotation(level.span(start..end).label(&code));
            msg = msg.snippet(snippet);
            if let Some(h) = &help {
                msg = msg.footer(Level::Help.title(h));
            }
            let text = renderer.render(msg).to_string();
            text
        }
        _ => {
            if !origin.is_empty() {
                msg = msg.snippet(Snippet::source("").origin(&origin));
            }
            if let Some(h) = &help {
                msg = msg.footer(Level::Help.title(h));
            }
            renderer.render(msg).to_string()
        }
    };
    format!("{out}\n")
}
