//! CLI commands: render, site. All behaviour is in `umr_core::render`; this file parses
//! arguments and prints.

use crate::{fail, json, Format, RegistryArgs};
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use umr_core::render::{self, site, View};
use umr_core::Limits;

/// Output formats of `umr render`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RenderTo {
    /// Markdown.
    Md,
    /// Standalone HTML.
    Html,
    /// LaTeX source.
    Tex,
    /// PDF (binary: give -o FILE, or redirect standard output).
    Pdf,
    /// The lineage graph as SVG.
    Svg,
}

impl RenderTo {
    fn format(self) -> render::Format {
        match self {
            RenderTo::Md => render::Format::Markdown,
            RenderTo::Html => render::Format::Html,
            RenderTo::Tex => render::Format::Latex,
            RenderTo::Pdf => render::Format::Pdf,
            RenderTo::Svg => render::Format::Svg,
        }
    }
}

/// Arguments of `umr render`.
#[derive(clap::Args)]
pub(crate) struct RenderArgs {
    /// Record reference: `name`, `name>=1.0`, `name@1.2.0`, `name==1.2.0`.
    pub(crate) spec: String,
    #[command(flatten)]
    pub(crate) reg: RegistryArgs,
    /// Output format.
    #[arg(long, value_enum)]
    pub(crate) to: RenderTo,
    /// Write here (atomically) instead of standard output.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    /// Format of errors and, with -o, of the summary line (the document itself is never
    /// wrapped in JSON).
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
}

pub(crate) fn render(args: RenderArgs, limits: &Limits, color: bool) -> Result<ExitCode, String> {
    let format = args.to.format();
    if format.is_binary() && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(
            "PDF is binary: write it to a file with -o FILE (or redirect standard output)".into(),
        );
    }
    let registry = crate::open_registry(&args.reg, limits, color)?;
    let view = match View::from_registry(&registry, &args.spec) {
        Ok(v) => v,
        Err(e) => return Ok(fail(&e, args.format)),
    };
    let bytes = match render::render(&view, format) {
        Ok(b) => b,
        Err(e) => return Ok(fail(&e, args.format)),
    };
    match &args.output {
        Some(path) => {
            umr_core::fsutil::write_atomic(path, &bytes).map_err(|e| e.to_string())?;
            match args.format {
                Format::Json => outln!(
                    "{}",
                    json(&serde_json::json!({
                        "record": view.id,
                        "format": format.extension(),
                        "file": path.display().to_string(),
                        "bytes": bytes.len(),
                    }))
                ),
                Format::Human => errln!(
                    "wrote {} ({} of {}, {} bytes)",
                    path.display(),
                    format.extension(),
                    view.id,
                    bytes.len()
                ),
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes).map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `umr site`.
#[derive(clap::Args)]
pub(crate) struct SiteArgs {
    #[command(flatten)]
    pub(crate) reg: RegistryArgs,
    /// Output folder. Built next to it and swapped into place when complete; an existing
    /// folder is replaced only if `umr site` made it.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Site title.
    #[arg(long, default_value = "UMR registry")]
    pub(crate) title: String,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
}

pub(crate) fn site(args: SiteArgs, limits: &Limits, color: bool) -> Result<ExitCode, String> {
    let registry = crate::open_registry(&args.reg, limits, color)?;
    let opts = site::SiteOptions {
        title: args.title,
        registry_roots: args.reg.registry.clone(),
    };
    let bar = if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new(registry.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} publishing [{bar:32}] {pos}/{len} {wide_msg}",
        ) {
            pb.set_style(style.progress_chars("=> "));
        }
        Some(pb)
    } else {
        None
    };
    let mut progress = |done: usize, _total: usize, id: &str| {
        if let Some(pb) = &bar {
            pb.set_position(done as u64);
            pb.set_message(id.to_string());
        }
    };
    let result = site::build(&registry, &args.out, &opts, &mut progress);
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => return Ok(fail(&e, args.format)),
    };
    match args.format {
        Format::Json => outln!("{}", json(&report)),
        Format::Human => {
            for p in &report.problems {
                errln!(
                    "warning: {} published from its own fields only: {}",
                    p.record,
                    p.error
                );
            }
            outln!(
                "published {} record versions to {} ({} pages, {} files, {} KiB)",
                report.records,
                report.out,
                report.pages,
                report.files,
                report.bytes / 1024
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
