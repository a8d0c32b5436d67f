//! CLI commands: score.

use std::process::ExitCode;
use umr_core::Limits;

/// Arguments of `umr score`.
#[derive(clap::Args)]
pub(crate) struct ScoreArgs {
    #[command(flatten)]
    pub(crate) reg: crate::RegistryArgs,
}

pub(crate) fn score(args: ScoreArgs, _limits: &Limits, _color: bool) -> Result<ExitCode, String> {
    let _ = args.reg;
    Err("`umr score` is not available in this build".to_string())
}
