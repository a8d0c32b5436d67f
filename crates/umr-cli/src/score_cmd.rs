//! CLI commands: score.

use crate::Format;
use std::io::Write;
use std::process::ExitCode;
use umr_core::score::{self, ScoreReport, Tally};
use umr_core::Limits;

/// Arguments of `umr score`.
#[derive(clap::Args)]
pub(crate) struct ScoreArgs {
    /// Record reference: `name`, `name>=1.0`, `name@1.2.0`, `name==1.2.0`.
    pub(crate) spec: Option<String>,
    #[command(flatten)]
    pub(crate) reg: crate::RegistryArgs,
    /// Indicator set (`fmti2023`, `fmti2025`; `2023` works too). Default: the edition the
    /// record declares, else fmti2023.
    #[arg(long)]
    pub(crate) edition: Option<String>,
    /// Also list every indicator with its own and effective answer.
    #[arg(long)]
    pub(crate) indicators: bool,
    /// List the available editions and exit.
    #[arg(long)]
    pub(crate) list_editions: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
}

pub(crate) fn score(args: ScoreArgs, limits: &Limits, color: bool) -> Result<ExitCode, String> {
    if args.list_editions {
        return Ok(list_editions(args.format));
    }
    let spec = args
        .spec
        .as_deref()
        .ok_or("give a record reference (or --list-editions)")?;
    if let Some(e) = &args.edition {
        if let Err(err) = score::edition(e) {
            return Ok(crate::fail(&err, args.format));
        }
    }
    let registry = crate::open_registry(&args.reg, limits, color)?;
    let report = match score::score_in_registry(&registry, spec, args.edition.as_deref()) {
        Ok(r) => r,
        Err(e) => return Ok(crate::fail(&e, args.format)),
    };
    match args.format {
        Format::Json => emit(&format!("{}\n", crate::json(&report))),
        Format::Human => {
            let mut seen = Vec::new();
            for d in report
                .own
                .diagnostics
                .iter()
                .chain(report.effective.diagnostics.iter())
            {
                if !seen.contains(&d) {
                    errln!("{d}");
                    seen.push(d);
                }
            }
            emit(&human(&report, args.indicators));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Write to standard output; a closed pipe (`umr score … | head`) is not an error.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn list_editions(format: Format) -> ExitCode {
    let eds = score::editions();
    match format {
        Format::Json => {
            let v: Vec<serde_json::Value> = eds
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "name": e.name,
                        "aliases": e.aliases,
                        "title": e.title,
                        "published": e.published,
                        "indicators": e.indicators.len(),
                        "license": e.license,
                        "source": e.source,
                    })
                })
                .collect();
            emit(&format!("{}\n", crate::json(&v)));
        }
        Format::Human => {
            let mut text = String::new();
            for e in eds {
                let aka = if e.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" (also: {})", e.aliases.join(", "))
                };
                text.push_str(&format!(
                    "{:<10} {} indicators  {}{aka}\n",
                    e.name,
                    e.indicators.len(),
                    e.title
                ));
            }
            emit(&text);
        }
    }
    ExitCode::SUCCESS
}

fn cell(t: &Tally) -> (String, String) {
    (
        format!("{}/{}", t.score, t.indicators),
        format!("{}/{}", t.answered, t.indicators),
    )
}

/// The human table: one row per domain and subdomain, own and effective score and answered
/// counts.
fn human(r: &ScoreReport, indicators: bool) -> String {
    let title = score::edition(&r.edition)
        .map(|e| e.title.clone())
        .unwrap_or_else(|_| r.edition.clone());
    let mut rows: Vec<(String, Tally, Tally)> = Vec::new();
    for (d, de) in r.own.domains.iter().zip(r.effective.domains.iter()) {
        rows.push((d.name.clone(), d.tally, de.tally));
        for (s, se) in d.subdomains.iter().zip(de.subdomains.iter()) {
            rows.push((format!("  {}", s.name), s.tally, se.tally));
        }
    }
    rows.push(("Total".into(), r.own.total, r.effective.total));
    let w = rows
        .iter()
        .map(|(n, _, _)| n.chars().count())
        .max()
        .unwrap_or(5)
        .max(9);
    let mut out = format!("{} — {title} ({})\n", r.record, r.edition);
    out.push_str(&format!(
        "{:<w$}  {:^17}   {:^17}\n",
        "", "own", "effective"
    ));
    out.push_str(&format!(
        "{:<w$}  {:>8} {:>8}   {:>8} {:>8}\n",
        "", "score", "answered", "score", "answered"
    ));
    for (name, o, e) in &rows {
        let (os, oa) = cell(o);
        let (es, ea) = cell(e);
        out.push_str(&format!("{name:<w$}  {os:>8} {oa:>8}   {es:>8} {ea:>8}\n"));
    }
    if r.inherited.is_empty() {
        out.push_str("no answers inherited\n");
    } else {
        let parts: Vec<String> = r
            .inherited
            .iter()
            .map(|(id, n)| format!("{id} ({n})"))
            .collect();
        out.push_str(&format!("inherited answers: {}\n", parts.join(", ")));
    }
    if indicators {
        let kw = r
            .effective
            .indicators
            .iter()
            .map(|i| i.key.chars().count())
            .max()
            .unwrap_or(3);
        out.push('\n');
        out.push_str(&format!(
            "{:<kw$}  {:<7}  {:<9}  source\n",
            "indicator", "own", "effective"
        ));
        let show = |a: Option<bool>| match a {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        for (o, e) in r.own.indicators.iter().zip(r.effective.indicators.iter()) {
            out.push_str(&format!(
                "{:<kw$}  {:<7}  {:<9}  {}\n",
                e.key,
                show(o.answer),
                show(e.answer),
                e.source.as_deref().unwrap_or("")
            ));
        }
    }
    let mut text = String::with_capacity(out.len());
    for line in out.lines() {
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}
