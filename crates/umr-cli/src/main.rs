//! `umr`: the command line for Unified Model Records.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use umr_core::{Diagnostic, Limits, Severity};

mod report;

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
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutSyntax {
    Yaml,
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
    /// Print the JSON Schema of the record format.
    Schema {
        /// Output format (the schema is JSON either way).
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match run(cli, color) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
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
                        eprint!("{}", report::render(d, color));
                    }
                }
                all.extend(c.diagnostics);
            }
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = all.len() - errors;
            match format {
                Format::Json => println!("{}", json(&all)),
                Format::Human => println!(
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
        Cmd::Schema { .. } => {
            print!("{}", umr_core::schema::record_schema_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn print_diags(d: &[Diagnostic], format: Format, color: bool) {
    match format {
        Format::Json => println!("{}", json(d)),
        Format::Human => {
            for x in d {
                eprint!("{}", report::render(x, color));
            }
        }
    }
}

/// Write to a file atomically (temporary file in the same folder, then rename), or print.
fn emit(text: &str, output: Option<&Path>) -> Result<(), String> {
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
