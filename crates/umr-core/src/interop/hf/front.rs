//! Splitting a card into its YAML front matter and its Markdown body.

use crate::diagnostic::Diagnostic;

/// A card split into front matter and body. Line ends are already `\n`.
#[derive(Debug, Clone)]
pub(crate) struct Split {
    /// The front matter text (between the `---` lines), when there is a block.
    pub front: Option<String>,
    /// Lines before the first front-matter line (to shift front-matter locations by).
    pub offset: usize,
    /// The Markdown body after the closing `---` line (the whole text without a block).
    pub body: String,
    /// Warnings about the layout (leading blank lines, no front matter).
    pub warnings: Vec<Diagnostic>,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Split a card. The opening `---` must be the first non-blank line (blank lines before it
/// are accepted with a warning, as `huggingface_hub` does); a text whose first non-blank
/// line is not `---` has no front matter (a warning). An opening `---` without a closing
/// `---` line is an error located at the opening line.
pub(crate) fn split(text: &str) -> Result<Split, Diagnostic> {
    let mut warnings = Vec::new();
    let mut pos = 0usize; // byte offset of the current line
    let mut line_no = 0usize; // 0-based
    let mut lines = text.split_inclusive('\n');
    // skip blank lines
    let first = loop {
        match lines.next() {
            None => {
                return Ok(Split {
                    front: None,
                    offset: 0,
                    body: text.to_string(),
                    warnings: vec![Diagnostic::warning(
                        "W_HF_NO_FRONT_MATTER",
                        "",
                        "the card has no YAML front matter; it is read as a card without metadata",
                    )
                    .at(1, 1)],
                })
            }
            Some(l) if l.trim().is_empty() => {
                pos += l.len();
                line_no += 1;
            }
            Some(l) => break l,
        }
    };
    if !is_fence(first) {
        warnings.push(
            Diagnostic::warning(
                "W_HF_NO_FRONT_MATTER",
                "",
                "the card has no YAML front matter (the first line is not `---`); it is read as a card without metadata",
            )
            .at(line_no + 1, 1)
            .with_help("metadata goes between two `---` lines at the top of README.md"),
        );
        return Ok(Split {
            front: None,
            offset: 0,
            body: text.to_string(),
            warnings,
        });
    }
    if line_no > 0 {
        warnings.push(
            Diagnostic::warning(
                "W_HF_LEADING_BLANK",
                "",
                format!(
                    "{line_no} blank line(s) before the opening `---`; read as front matter (strict parsers see none)"
                ),
            )
            .at(1, 1)
            .with_help("start README.md with the `---` line"),
        );
    }
    let open_line = line_no + 1; // 1-based line of the opening fence
    pos += first.len();
    let front_start = pos;
    for l in lines {
        if is_fence(l) {
            let front = text[front_start..pos].to_string();
            let body = text[pos + l.len()..].to_string();
            return Ok(Split {
                front: Some(front),
                offset: open_line,
                body,
                warnings,
            });
        }
        pos += l.len();
    }
    Err(Diagnostic::error(
        "E_HF_UNCLOSED_FRONT_MATTER",
        "",
        format!("the front matter opened by `---` on line {open_line} is never closed"),
    )
    .at(open_line, 1)
    .with_help("end the metadata block with a line `---` before the Markdown body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let s = split("---\na: 1\n---\n# T\n").ok();
        assert_eq!(
            s.map(|s| (s.front, s.offset, s.body)),
            Some((Some("a: 1\n".to_string()), 1, "# T\n".to_string()))
        );
        let s = split("\n---\na: 1\n---\n").ok();
        assert_eq!(s.as_ref().map(|s| s.offset), Some(2));
        assert_eq!(s.map(|s| s.warnings.len()), Some(1));
        let e = split("---\na: 1\n# no end\n").err();
        assert_eq!(
            e.map(|d| (d.code, d.line)),
            Some(("E_HF_UNCLOSED_FRONT_MATTER".into(), Some(1)))
        );
        let s = split("# just text\n").ok();
        assert_eq!(s.map(|s| s.front.is_none()), Some(true));
    }
}
