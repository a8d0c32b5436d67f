//! CLI commands: render, site.

use std::process::ExitCode;
use umr_core::Limits;

/// Arguments of `umr render`.
#[derive(clap::Args)]
pub(crate) struct RenderArgs {
    #[command(flatten)]
    pub(crate) reg: crate::RegistryArgs,
}

pub(crate) fn render(args: RenderArgs, _limits: &Limits, _color: bool) -> Result<ExitCode, String> {
    let _ = args.reg;
    Err("`umr render` is not available in this build".to_string())
}

/// Arguments of `umr site`.
#[derive(clap::Args)]
pub(crate) struct SiteArgs {
    #[command(flatten)]
    pub(crate) reg: crate::RegistryArgs,
}

pub(crate) fn site(args: SiteArgs, _limits: &Limits, _color: bool) -> Result<ExitCode, String> {
    let _ = args.reg;
    Err("`umr site` is not available in this build".to_string())
}
