//! `umr`: the command line for Unified Model Records.

/// mimalloc: much faster than the system allocator on the many small allocations of value
/// trees (records, cards), and the same on every platform (docs/dependencies.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use umr_core::{Diagnostic, Limits, Severity};

/// Print to standard output; a closed pipe (`umr … | head`) ends the program quietly
/// instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!($($arg)*))
    };
}

/// [`err!`] with a newline.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::write_stderr(&format!("{}\n", format!($($arg)*)))
    };
}

/// [`out!`] with a newline.
macro_rules! outln {
    () => { $crate::write_stdout("\n") };
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!("{}\n", format!($($arg)*)))
    };
}

mod interop_cmd;
mod publish_cmd;
mod report;
mod score_cmd;
mod term;

#[derive(Parser)]
#[command(
    name = "umr",
    version,
    about = "Unified Model Records: validate, resolve, trace and publish model records"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutSyntax {
    Yaml,
    Json,
}

#[derive(clap::Args, Clone)]
pub(crate) struct RegistryArgs {
    /// Registry root folder (repeatable; the first root that has a name wins).
    #[arg(long = "registry", default_value = ".")]
    pub(crate) registry: Vec<PathBuf>,
    /// Resolve through the lock file `umr.lock` of the first root.
    #[arg(long)]
    pub(crate) locked: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LineageFormat {
    Tree,
    Dot,
    Mermaid,
    Json,
}

#[derive(Subcommand)]
enum Cmd {
    /// Validate record files or folders (exit 0 when valid, 1 when not).
    Validate {
        /// Files or folders (folders are searched for .yaml, .yml and .json files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Convert a record (native or prototype dialect) to the native form.
    Convert {
        /// The record file.
        file: PathBuf,
        /// Output syntax.
        #[arg(long, value_enum, default_value = "yaml")]
        to: OutSyntax,
        /// Write here instead of standard output (atomically).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format for diagnostics.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Print the effective record of NAME[REQ] (inherited fields merged in).
    Resolve {
        /// Record reference: `name`, `name>=1.0`, `name@1.2.0`, `name==1.2.0`.
        spec: Option<String>,
        /// Resolve every record of the registry (prints a JSON array with --format json).
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format: human (YAML) or json.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Show which record and version supplied each field of the effective record.
    Blame {
        /// Record reference.
        spec: String,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Show the ancestors and descendants of a record.
    Lineage {
        /// Record reference.
        spec: String,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "tree")]
        format: LineageFormat,
    },
    /// List every downstream record exposed to a record (and its risks), with chains.
    Affected {
        /// Record reference.
        spec: String,
        /// Only records exposed to this risk id.
        #[arg(long)]
        risk: Option<String>,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Show the risks a record is exposed to (own and inherited), with chains and status.
    Risks {
        /// Record reference.
        spec: String,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Write `umr.lock` (every resolved upstream pinned, with digests), or check it.
    Lock {
        #[command(flatten)]
        reg: RegistryArgs,
        /// Compare the existing lock with the registry and report drift (exit 1 on drift).
        #[arg(long)]
        check: bool,
        /// Lock file (default: umr.lock in the first registry root).
        #[arg(long)]
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Structured diff of two records (files or registry references) and the bump it requires.
    Diff {
        /// Old record: a file, or a reference resolved in the registry.
        old: String,
        /// New record: a file, or a reference.
        new: String,
        /// Compare effective records (inheritance applied) instead of own records.
        #[arg(long)]
        effective: bool,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Propose the next version of a record file from its changes (`--write` applies it).
    Bump {
        /// The draft record file.
        file: PathBuf,
        /// Rewrite the file's version (atomically).
        #[arg(long)]
        write: bool,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Validate, resolve and write a record into a registry, refusing existing versions and
    /// bumps smaller than the changes require.
    Publish {
        /// The record file.
        file: PathBuf,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Which downstream records a new version reaches, which stay pinned, and how their
    /// effective records change.
    Impact {
        /// `NAME@NEWVERSION` in the registry, or a record file.
        target: String,
        #[command(flatten)]
        reg: RegistryArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Render a record to Markdown, HTML, LaTeX, PDF or its lineage graph as SVG.
    Render(publish_cmd::RenderArgs),
    /// Publish the registry as a static web site.
    Site(publish_cmd::SiteArgs),
    /// Import a Hugging Face card or a CycloneDX BOM as a record.
    Import(interop_cmd::ImportArgs),
    /// Export a record as a Hugging Face card, a CycloneDX ML-BOM or SPDX 3 AI/Dataset JSON-LD.
    Export(interop_cmd::ExportArgs),
    /// Transparency score (Foundation Model Transparency Index), own and effective.
    Score(score_cmd::ScoreArgs),
    /// Print the JSON Schema of the record format.
    Schema {
        /// Output format (the schema is JSON either way).
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
}

/// Write to standard output, exiting quietly when the reader has gone away.
pub(crate) fn write_stdout(s: &str) {
    let s = term::clean(s);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        errln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

/// Write to standard error, control characters shown escaped.
pub(crate) fn write_stderr(s: &str) {
    let s = term::clean(s);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(s.as_bytes()).and_then(|()| err.flush());
}

/// Write to standard error as is: for text built from cleaned pieces (a rendered
/// diagnostic, whose colours are escape sequences of its own).
pub(crate) fn write_stderr_raw(s: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(s.as_bytes()).and_then(|()| err.flush());
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match run(cli, color) {
        Ok(code) => code,
        // errors that carry a code (`error[E_…]: …`) are about the records: exit 1;
        // anything else is a usage or I/O problem: exit 2
        Err(e) if e.starts_with("error[") => {
            errln!("{e}");
            ExitCode::from(1)
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, color: bool) -> Result<ExitCode, String> {
    let limits = Limits::default();
    match cli.cmd {
        Cmd::Validate {
            paths,
            format,
            strict,
        } => {
            let files = collect_files(&paths)?;
            let mut all: Vec<Diagnostic> = Vec::new();
            let mut records = 0usize;
            let mut bad = 0usize;
            for f in &files {
                let c = umr_core::check_file(f, &limits);
                let failed = c.record.is_none() || (strict && !c.diagnostics.is_empty());
                if failed {
                    bad += 1;
                }
                records += 1;
                if format == Format::Human {
                    for d in &c.diagnostics {
                        crate::write_stderr_raw(&report::render(d, color));
                    }
                }
                all.extend(c.diagnostics);
            }
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = all.len() - errors;
            match format {
                Format::Json => outln!("{}", json(&all)),
                Format::Human => outln!(
                    "{records} record{} checked: {} valid, {bad} invalid; {errors} error{}, {warnings} warning{}",
                    plural(records),
                    records - bad,
                    plural(errors),
                    plural(warnings)
                ),
            }
            Ok(if bad == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Convert {
            file,
            to,
            output,
            format,
        } => {
            let c = umr_core::check_file(&file, &limits);
            // warnings of a valid record go to standard error; the record to standard output
            if c.record.is_some() {
                for d in &c.diagnostics {
                    crate::write_stderr_raw(&report::render(d, color));
                }
            }
            let Some(rec) = c.record else {
                print_diags(&c.diagnostics, format, color);
                return Ok(ExitCode::from(1));
            };
            let text = match to {
                OutSyntax::Yaml => rec.to_yaml(),
                OutSyntax::Json => rec.to_json(),
            };
            emit(&text, output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Resolve {
            spec,
            all,
            reg,
            format,
        } => {
            let registry = open_registry(&reg, &limits, color)?;
            if all {
                let mut ok = Vec::new();
                let mut failed = 0usize;
                for (id, res) in registry.effective_all() {
                    match res {
                        Ok(e) => ok.push(e.record.value().clone()),
                        Err(e) => {
                            failed += 1;
                            errln!("error: {id}: {e}");
                        }
                    }
                }
                match format {
                    Format::Json => outln!("{}", json(&ok)),
                    Format::Human => {
                        for v in &ok {
                            outln!("---\n{}", umr_core::yaml::to_yaml(v).trim_end());
                        }
                        errln!("{} resolved, {failed} failed", ok.len());
                    }
                }
                return Ok(if failed == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            let spec = spec.ok_or("give a record reference, or --all")?;
            let eff = match registry.effective(&spec) {
                Ok(e) => e,
                Err(e) => return Ok(fail(&e, format)),
            };
            match format {
                Format::Json => out!("{}", eff.record.to_json()),
                Format::Human => out!("{}", eff.record.to_yaml()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Blame { spec, reg, format } => {
            let registry = open_registry(&reg, &limits, color)?;
            let eff = match registry.effective(&spec) {
                Ok(e) => e,
                Err(e) => return Ok(fail(&e, format)),
            };
            match format {
                Format::Json => outln!("{}", json(&eff.provenance)),
                Format::Human => {
                    let w = eff
                        .provenance
                        .keys()
                        .map(|k| k.chars().count())
                        .max()
                        .unwrap_or(0);
                    for (k, v) in &eff.provenance {
                        outln!("{k:<w$}  {v}");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Lineage { spec, reg, format } => {
            let registry = open_registry(&reg, &limits, color)?;
            let lin = match registry.lineage(&spec) {
                Ok(l) => l,
                Err(e) => {
                    let f = if format == LineageFormat::Json {
                        Format::Json
                    } else {
                        Format::Human
                    };
                    return Ok(fail(&e, f));
                }
            };
            match format {
                LineageFormat::Tree => out!("{}", lin.to_tree()),
                LineageFormat::Dot => out!("{}", lin.to_dot()),
                LineageFormat::Mermaid => out!("{}", lin.to_mermaid()),
                LineageFormat::Json => outln!("{}", json(&lin)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Affected {
            spec,
            risk,
            reg,
            format,
        } => {
            let registry = open_registry(&reg, &limits, color)?;
            let list = match registry.affected(&spec, risk.as_deref()) {
                Ok(l) => l,
                Err(e) => return Ok(fail(&e, format)),
            };
            match format {
                Format::Json => outln!("{}", json(&list)),
                Format::Human => {
                    if list.is_empty() {
                        outln!("no downstream record is exposed to {spec}");
                    }
                    for a in &list {
                        let risks: Vec<String> = a
                            .risks
                            .iter()
                            .map(|r| format!("{} ({})", r.id, r.status.as_str()))
                            .collect();
                        outln!(
                            "{}@{}  via {}{}",
                            a.name,
                            a.version,
                            a.chain.join(" → "),
                            if risks.is_empty() {
                                String::new()
                            } else {
                                format!("  risks: {}", risks.join(", "))
                            }
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Risks { spec, reg, format } => {
            let registry = open_registry(&reg, &limits, color)?;
            let list = match registry.risks(&spec) {
                Ok(l) => l,
                Err(e) => return Ok(fail(&e, format)),
            };
            match format {
                Format::Json => outln!("{}", json(&list)),
                Format::Human => {
                    if list.is_empty() {
                        outln!("no known risks");
                    }
                    for r in &list {
                        out!(
                            "{} [{}] {} from {} via {}",
                            r.id,
                            r.status.as_str(),
                            severity(r.severity),
                            r.origin,
                            r.chain.join(" → ")
                        );
                        if let Some(m) = &r.mitigation {
                            out!("; mitigated by {}: {}", m.by, m.justification);
                        }
                        outln!();
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Lock {
            reg,
            check,
            file,
            format,
        } => {
            let unlocked = RegistryArgs {
                locked: false,
                ..reg.clone()
            };
            let registry = open_registry(&unlocked, &limits, color)?;
            let from = match &file {
                Some(_) => umr_core::fsutil::ReadFrom::Argument,
                None => umr_core::fsutil::ReadFrom::Registry(&reg.registry[0]),
            };
            let path = file
                .clone()
                .unwrap_or_else(|| reg.registry[0].join("umr.lock"));
            if check {
                let lock = umr_core::Lock::read(&path, from).map_err(coded)?;
                let drift = umr_core::lock::drift(&lock, &registry);
                match format {
                    Format::Json => outln!("{}", json(&drift)),
                    Format::Human => {
                        for d in &drift {
                            outln!("{}: {}", d.kind, d.message);
                        }
                        if drift.is_empty() {
                            outln!("{} matches the registry", path.display());
                        }
                    }
                }
                return Ok(if drift.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            let lock = umr_core::Lock::of(&registry);
            umr_core::fsutil::write_atomic(&path, lock.to_json().as_bytes())
                .map_err(|e| e.to_string())?;
            match format {
                Format::Json => outln!(
                    "{}",
                    json(
                        &serde_json::json!({"file": path.display().to_string(), "records": lock.records.len()})
                    )
                ),
                Format::Human => {
                    outln!("wrote {} ({} records)", path.display(), lock.records.len())
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Diff {
            old,
            new,
            effective,
            reg,
            format,
        } => {
            let needs_registry =
                !(Path::new(&old).is_file() && Path::new(&new).is_file()) || effective;
            let registry = if needs_registry {
                Some(open_registry(&reg, &limits, color)?)
            } else {
                None
            };
            let get = |x: &str| -> Result<serde_json::Value, umr_core::UmrError> {
                if Path::new(x).is_file() {
                    let r = umr_core::Record::load(x, &limits)?;
                    if effective {
                        if let Some(registry) = &registry {
                            let mut records: Vec<umr_core::Record> = registry
                                .records()
                                .filter(|y| y.id() != r.id())
                                .cloned()
                                .collect();
                            records.push(r.clone());
                            let with = umr_core::Registry::from_records(records)?;
                            return Ok(with
                                .effective(&format!("{}@{}", r.name(), r.version()))?
                                .record
                                .value()
                                .clone());
                        }
                    }
                    Ok(r.value().clone())
                } else {
                    let registry = registry
                        .as_ref()
                        .ok_or_else(|| umr_core::UmrError::argument("E_ARG", "no registry"))?;
                    if effective {
                        Ok(registry.effective(x)?.record.value().clone())
                    } else {
                        Ok(registry.find(x)?.value().clone())
                    }
                }
            };
            let (a, b) = match (get(&old), get(&new)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => return Ok(fail(&e, format)),
            };
            let changes = umr_core::evolution::diff(&a, &b);
            let bump = umr_core::evolution::required_bump(&changes);
            match format {
                Format::Json => outln!(
                    "{}",
                    json(&serde_json::json!({"changes": changes, "required_bump": bump}))
                ),
                Format::Human => {
                    for c in &changes {
                        outln!(
                            "{:<8} {:<7} {}  [{}]",
                            format!("{:?}", c.op).to_lowercase(),
                            c.bump.as_str(),
                            c.path,
                            c.rule
                        );
                    }
                    outln!("required bump: {}", bump.as_str());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bump {
            file,
            write,
            reg,
            format,
        } => {
            let rec = match umr_core::Record::load(&file, &limits) {
                Ok(r) => r,
                Err(e) => return Ok(fail(&e, format)),
            };
            let registry = open_registry(&reg, &limits, color)?;
            let p = umr_core::evolution::propose_bump(&registry, &rec);
            if write && p.proposed != rec.version().to_string() {
                let mut v = rec.value().clone();
                if let Some(m) = v.as_object_mut() {
                    m.insert(
                        "version".into(),
                        serde_json::Value::String(p.proposed.clone()),
                    );
                }
                let updated = rec.with_value(v).map_err(|e| e.to_string())?;
                updated.save(&file).map_err(|e| e.to_string())?;
            }
            match format {
                Format::Json => outln!("{}", json(&p)),
                Format::Human => {
                    for c in &p.changes {
                        outln!(
                            "{:<8} {:<7} {}  [{}]",
                            format!("{:?}", c.op).to_lowercase(),
                            c.bump.as_str(),
                            c.path,
                            c.rule
                        );
                    }
                    match &p.previous {
                        Some(prev) => outln!(
                            "previous {prev}; required bump: {}; proposed version: {}{}",
                            p.required.as_str(),
                            p.proposed,
                            if write { " (written)" } else { "" }
                        ),
                        None => outln!(
                            "no earlier version in the registry; version {} stands",
                            p.proposed
                        ),
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Publish {
            file,
            reg,
            dry_run,
            format,
        } => {
            let rec = match umr_core::Record::load(&file, &limits) {
                Ok(r) => r,
                Err(e) => return Ok(fail(&e, format)),
            };
            let registry = open_registry(&reg, &limits, color)?;
            let result = if dry_run {
                umr_core::evolution::plan_publish(&registry, &rec).map(|p| (p, None))
            } else {
                umr_core::evolution::publish(&registry, &reg.registry[0], &rec)
                    .map(|(p, path)| (p, Some(path)))
            };
            match result {
                Ok((plan, path)) => {
                    match format {
                        Format::Json => outln!(
                            "{}",
                            json(
                                &serde_json::json!({"plan": plan, "written": path.map(|p| p.display().to_string())})
                            )
                        ),
                        Format::Human => match path {
                            Some(p) => outln!(
                                "published {} to {} (required bump: {})",
                                plan.id,
                                p.display(),
                                plan.required.as_str()
                            ),
                            None => outln!(
                                "{} can be published at {} (required bump: {})",
                                plan.id,
                                plan.path,
                                plan.required.as_str()
                            ),
                        },
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(fail(&e, format)),
            }
        }
        Cmd::Impact {
            target,
            reg,
            format,
        } => {
            let registry = open_registry(&reg, &limits, color)?;
            let new = if Path::new(&target).is_file() {
                umr_core::Record::load(&target, &limits)
            } else {
                registry.find(&target).cloned()
            };
            let new = match new {
                Ok(r) => r,
                Err(e) => return Ok(fail(&e, format)),
            };
            let imp = match umr_core::evolution::impact(&registry, &new) {
                Ok(i) => i,
                Err(e) => return Ok(fail(&e, format)),
            };
            match format {
                Format::Json => outln!("{}", json(&imp)),
                Format::Human => {
                    outln!("impact of {}", imp.new);
                    for u in &imp.upgraded {
                        outln!(
                            "  upgraded  {}  `{}`: {} → {}",
                            u.record,
                            u.requirement,
                            u.before.as_deref().unwrap_or("(unresolved)"),
                            u.after
                        );
                    }
                    for u in &imp.pinned {
                        outln!(
                            "  pinned    {}  `{}` stays on {}",
                            u.record,
                            u.requirement,
                            u.after
                        );
                    }
                    for c in &imp.changed {
                        outln!(
                            "  changes   {} ({} change(s), {} bump)",
                            c.record,
                            c.changes.len(),
                            c.bump.as_str()
                        );
                        for ch in &c.changes {
                            outln!(
                                "              {:<8} {}",
                                format!("{:?}", ch.op).to_lowercase(),
                                ch.path
                            );
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Render(a) => publish_cmd::render(a, &limits, color),
        Cmd::Site(a) => publish_cmd::site(a, &limits, color),
        Cmd::Import(a) => interop_cmd::import(a, &limits, color),
        Cmd::Export(a) => interop_cmd::export(a, &limits, color),
        Cmd::Score(a) => score_cmd::score(a, &limits, color),
        Cmd::Schema { .. } => {
            out!("{}", umr_core::schema::record_schema_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn severity(s: umr_core::model::Severity) -> &'static str {
    match s {
        umr_core::model::Severity::Low => "low",
        umr_core::model::Severity::Medium => "medium",
        umr_core::model::Severity::High => "high",
        umr_core::model::Severity::Critical => "critical",
    }
}

/// Print an error (human or JSON) and return exit code 1.
pub(crate) fn fail(e: &umr_core::UmrError, format: Format) -> ExitCode {
    match format {
        Format::Json => outln!("{}", json(&e.to_data())),
        Format::Human => {
            if e.diagnostics().is_empty() {
                errln!("error[{}]: {e}", e.code());
            } else {
                for d in e.diagnostics() {
                    crate::write_stderr_raw(&report::render(d, false));
                }
            }
        }
    }
    // an I/O failure (a file that cannot be read or written) is not about the records
    if matches!(e, umr_core::UmrError::Io { .. }) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

pub(crate) fn open_registry(
    args: &RegistryArgs,
    limits: &Limits,
    color: bool,
) -> Result<umr_core::Registry, String> {
    let (records, report) =
        umr_core::registry::load_roots(&args.registry, limits).map_err(coded)?;
    // every problem found while loading goes to standard error (data goes to standard output)
    // the errors of skipped files; warnings are for `validate` to show
    for d in report.diagnostics.iter().filter(|d| d.is_error()) {
        crate::write_stderr_raw(&report::render(d, color));
    }
    let skipped = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if skipped > 0 {
        errln!("warning: {skipped} problem(s) in registry files; those files were skipped");
    }
    let reg = if args.locked {
        let path = args.registry[0].join("umr.lock");
        let from = umr_core::fsutil::ReadFrom::Registry(&args.registry[0]);
        let lock = umr_core::Lock::read(&path, from).map_err(coded)?;
        umr_core::Registry::from_records_locked(records, lock)
    } else {
        umr_core::Registry::from_records(records)
    };
    reg.map_err(coded)
}

/// An error of the core as the command line prints it: `error[CODE]: message` (I/O errors
/// name their path in the message already).
fn coded(e: umr_core::UmrError) -> String {
    match e {
        umr_core::UmrError::Io { .. } => e.to_string(),
        other => format!("error[{}]: {other}", other.code()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub(crate) fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    umr_core::yaml::escape_invisible_json(
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
    )
}

fn print_diags(d: &[Diagnostic], format: Format, color: bool) {
    match format {
        Format::Json => outln!("{}", json(d)),
        Format::Human => {
            for x in d {
                crate::write_stderr_raw(&report::render(x, color));
            }
        }
    }
}

/// Write to a file atomically (temporary file in the same folder, then rename), or print.
pub(crate) fn emit(text: &str, output: Option<&Path>) -> Result<(), String> {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())
        }
        Some(p) => umr_core::fsutil::write_atomic(p, text.as_bytes()).map_err(|e| e.to_string()),
    }
}

fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|e| format!("{}: {e}", p.display()))?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            if !entry.file_name().to_string_lossy().starts_with('.') {
                walk(&path, out)?;
            }
        } else if ft.is_file() {
            let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
            if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") {
                out.push(path);
            }
        }
    }
    Ok(())
}
