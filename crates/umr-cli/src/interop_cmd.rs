//! CLI commands: import, export. All behaviour is in `umr_core::interop`; this file parses
//! arguments and prints.

use crate::{fail, json, Format, RegistryArgs};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use umr_core::interop::{cyclonedx, hf, spdx};
use umr_core::{Diagnostic, Kind, Limits, Record};

/// Formats `umr import` reads.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportFrom {
    /// A Hugging Face model or dataset card (README.md).
    Hf,
    /// A CycloneDX BOM (JSON) with machine-learning-model / data components.
    Cyclonedx,
}

/// Record kinds for `--kind`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    Model,
    Family,
    Dataset,
}

/// Arguments of `umr import`.
#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// Source format.
    #[arg(value_enum)]
    pub(crate) from: ImportFrom,
    /// The file to import.
    pub(crate) file: PathBuf,
    /// Record name (`name` or `org/name`); default: derived from the document.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Record version (default 1.0.0, or the component's version for CycloneDX).
    #[arg(long)]
    pub(crate) version: Option<String>,
    /// Record kind of a card (default: detected from its keys).
    #[arg(long, value_enum)]
    pub(crate) kind: Option<KindArg>,
    /// Write the record here (atomically): a file (`.json` → JSON, else YAML), or an
    /// existing folder (the record goes to its registry path inside it).
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    /// Output format: human (YAML record, warnings on stderr) or json.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
}

fn print_warnings(w: &[Diagnostic], format: Format, color: bool) {
    if format == Format::Human {
        for d in w {
            crate::write_stderr_raw(&crate::report::render(d, color));
        }
    }
}

fn read_text(file: &Path, limits: &Limits) -> Result<String, umr_core::UmrError> {
    let bytes = umr_core::fsutil::read_limited(
        file,
        limits.max_file_bytes,
        umr_core::fsutil::ReadFrom::Argument,
    )?;
    let text = umr_core::yaml::decode(&bytes).map_err(|d| {
        umr_core::UmrError::Invalid(vec![d.in_file(Some(&file.display().to_string()))])
    })?;
    Ok(text.to_string())
}

pub(crate) fn import(args: ImportArgs, limits: &Limits, color: bool) -> Result<ExitCode, String> {
    let format = args.format;
    let file = args.file.display().to_string();
    let text = match read_text(&args.file, limits) {
        Ok(t) => t,
        Err(e) => return Ok(fail(&e, format)),
    };
    let result: Result<(Vec<Record>, Vec<Diagnostic>), umr_core::UmrError> = match args.from {
        ImportFrom::Hf => {
            let opts = hf::HfImportOptions {
                name: args.name.clone(),
                version: args.version.clone(),
                kind: args.kind.map(|k| match k {
                    KindArg::Model => Kind::Model,
                    KindArg::Family => Kind::Family,
                    KindArg::Dataset => Kind::Dataset,
                }),
                file: Some(file.clone()),
                limits: *limits,
            };
            hf::import_card(&text, &opts).map(|(r, w)| (vec![r], w))
        }
        ImportFrom::Cyclonedx => {
            let opts = cyclonedx::CdxImportOptions {
                name: args.name.clone(),
                version: args.version.clone(),
                file: Some(file.clone()),
                limits: *limits,
            };
            cyclonedx::import(&text, &opts)
        }
    };
    let (records, warnings) = match result {
        Ok(x) => x,
        Err(e) => return Ok(fail(&e, format)),
    };
    print_warnings(&warnings, format, color);
    if let Some(out) = &args.output {
        let mut written = Vec::new();
        if records.len() > 1 && !out.is_dir() {
            return Err(format!(
                "the BOM holds {} records; give an existing folder with -o",
                records.len()
            ));
        }
        for r in &records {
            let p = r.save(out).map_err(|e| e.to_string())?;
            written.push(p.display().to_string());
        }
        match format {
            Format::Json => outln!(
                "{}",
                json(&serde_json::json!({"written": written, "warnings": warnings}))
            ),
            Format::Human => {
                for w in &written {
                    errln!("wrote {w}");
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    match format {
        Format::Json => {
            let values: Vec<&serde_json::Value> = records.iter().map(Record::value).collect();
            let out = if values.len() == 1 {
                serde_json::json!({"record": values[0], "warnings": warnings})
            } else {
                serde_json::json!({"records": values, "warnings": warnings})
            };
            outln!("{}", json(&out));
        }
        Format::Human => {
            let docs: Vec<String> = records.iter().map(Record::to_yaml).collect();
            let text = if docs.len() == 1 {
                docs.concat()
            } else {
                docs.iter().map(|d| format!("---\n{d}")).collect::<String>()
            };
            crate::emit(&text, None)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Formats `umr export` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportTo {
    /// A Hugging Face card README.md (model card; dataset card for datasets).
    Hf,
    /// A CycloneDX ML-BOM (JSON).
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD with the AI and Dataset profiles.
    Spdx,
}

/// Arguments of `umr export`.
#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// Target format.
    #[arg(value_enum)]
    pub(crate) to: ExportTo,
    /// Record reference: `name`, `name>=1.0`, `name@1.2.0`, `name==1.2.0`.
    pub(crate) spec: String,
    #[command(flatten)]
    pub(crate) reg: RegistryArgs,
    /// Include the whole lineage (ancestors and descendants) — CycloneDX and SPDX.
    #[arg(long)]
    pub(crate) lineage: bool,
    /// Export the record as written instead of its effective record.
    #[arg(long)]
    pub(crate) own: bool,
    /// CycloneDX specification version.
    #[arg(long, default_value = "1.6", value_parser = ["1.6", "1.7"])]
    pub(crate) spec_version: String,
    /// SPDX: prefix of element ids (default `urn:umr:`).
    #[arg(long)]
    pub(crate) namespace: Option<String>,
    /// SPDX: creation time `YYYY-MM-DDThh:mm:ssZ` (default: now); CycloneDX:
    /// `metadata.timestamp` (default: none).
    #[arg(long)]
    pub(crate) created: Option<String>,
    /// Write here (atomically) instead of standard output.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    /// Format of errors; for `hf`, json prints {front_matter, readme}.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
}

pub(crate) fn export(args: ExportArgs, limits: &Limits, color: bool) -> Result<ExitCode, String> {
    let registry = crate::open_registry(&args.reg, limits, color)?;
    let format = args.format;
    // `--own` exports the record as written; otherwise the core's default (effective)
    let hf_opts = hf::HfExportOptions::with_effective(args.own.then_some(false));
    let effective = hf_opts.effective;
    let text = match args.to {
        ExportTo::Hf => {
            let card = match hf::export_with(&registry, &args.spec, &hf_opts) {
                Ok(c) => c,
                Err(e) => return Ok(fail(&e, format)),
            };
            match format {
                Format::Json => {
                    let fm = hf::front_matter(&card, limits).map_err(|e| e.to_string())?;
                    format!(
                        "{}\n",
                        json(&serde_json::json!({"front_matter": fm, "readme": card}))
                    )
                }
                Format::Human => card,
            }
        }
        ExportTo::Cyclonedx => {
            let opts = cyclonedx::CdxOptions {
                spec_version: cyclonedx::CdxVersion::parse(&args.spec_version).unwrap_or_default(),
                lineage: args.lineage,
                effective,
                timestamp: args.created.clone(),
            };
            match cyclonedx::export(&registry, &args.spec, &opts) {
                Ok(v) => format!("{}\n", json(&v)),
                Err(e) => return Ok(fail(&e, format)),
            }
        }
        ExportTo::Spdx => {
            let mut opts = spdx::SpdxOptions {
                lineage: args.lineage,
                effective,
                created: args.created.clone(),
                ..spdx::SpdxOptions::default()
            };
            if let Some(ns) = &args.namespace {
                opts.namespace = ns.clone();
            }
            match spdx::export(&registry, &args.spec, &opts) {
                Ok(v) => format!("{}\n", json(&v)),
                Err(e) => return Ok(fail(&e, format)),
            }
        }
    };
    crate::emit(&text, args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
