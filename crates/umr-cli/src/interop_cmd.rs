//! CLI commands: import, export.

use std::process::ExitCode;
use umr_core::Limits;

/// Arguments of `umr import`.
#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    #[command(flatten)]
    pub(crate) reg: crate::RegistryArgs,
}

pub(crate) fn import(args: ImportArgs, _limits: &Limits, _color: bool) -> Result<ExitCode, String> {
    let _ = args.reg;
    Err("`umr import` is not available in this build".to_string())
}

/// Arguments of `umr export`.
#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) reg: crate::RegistryArgs,
}

pub(crate) fn export(args: ExportArgs, _limits: &Limits, _color: bool) -> Result<ExitCode, String> {
    let _ = args.reg;
    Err("`umr export` is not available in this build".to_string())
}
