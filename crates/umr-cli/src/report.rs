//! Human rendering of diagnostics: a source snippet with a caret (annotate-snippets).

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
    let title = if d.path.is_empty() {
        d.message.clone()
    } else {
        format!("{} (at {})", d.message, d.path)
    };
    let origin = d.file.clone().unwrap_or_default();
    let source = match (&d.file, d.line) {
        (Some(f), Some(l)) => std::fs::read(f)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .and_then(|t| t.lines().nth(l.saturating_sub(1)).map(str::to_string)),
        _ => None,
    };
    let help = d.help.clone();
    let mut msg = level.title(&title).id(&d.code);
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
            let snippet = Snippet::source(&src)
                .line_start(line)
                .origin(&origin)
                .annotation(level.span(start..end).label(&d.code));
            msg = msg.snippet(snippet);
            if let Some(h) = &help {
                msg = msg.footer(Level::Help.title(h));
            }
            renderer.render(msg).to_string()
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
