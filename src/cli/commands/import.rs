//! `emrform import ADDR ID`: reads an existing object by its id and records it in state under
//! a resource block of the configuration, as `terraform import` does. Nothing in AWS changes;
//! the next plan shows how the object differs from its configuration.

use super::plan::{prepare, PlanArgs};
use crate::addrs::{InstanceKey, ResourceInstanceAddr, ResourceMode};
use crate::cli::args::VarArgs;
use crate::cli::state_file::to_json;
use crate::cli::Output;
use crate::plan::planner::PriorObject;
use clap::Args;
use std::process::ExitCode;

/// `import` options.
#[derive(Debug, Args)]
pub struct ImportCmd {
    /// Variables.
    #[command(flatten)]
    pub vars: VarArgs,
    /// How long to wait for the state lock, e.g. 30s.
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub lock_timeout: String,
    /// The resource instance to import into, e.g. `aws_iam_role.runtime` or
    /// `module.app.aws_emrserverless_application.this["etl"]`.
    pub addr: String,
    /// The object's import id (for each type, the id the AWS provider documents).
    pub id: String,
}

/// Runs `import`.
///
/// # Errors
/// Tool failures; user errors are printed and exit 1.
pub fn run(args: &ImportCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let addr: ResourceInstanceAddr = match args.addr.parse() {
        Ok(a) => a,
        Err(e) => {
            out.error(&format!("invalid address {:?}: {e}", args.addr));
            return Ok(ExitCode::from(1));
        }
    };
    if addr.resource.mode == ResourceMode::Data {
        out.error(&format!(
            "{addr} is a data source; only managed resources can be imported"
        ));
        return Ok(ExitCode::from(1));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let common = PlanArgs {
            vars: args.vars.clone(),
            refresh: true,
            refresh_only: false,
            destroy: false,
            target: Vec::new(),
            replace: Vec::new(),
            parallelism: 1,
            allow_local_exec: false,
            lock_timeout: args.lock_timeout.clone(),
        };
        let Ok(p) = prepare(&common, "OperationTypeImport", out).await? else {
            return Ok(ExitCode::from(1));
        };
        // The resource block must exist, with a repetition matching the key.
        let block = p
            .config
            .module(&addr.module.module_path())
            .and_then(|m| m.resources.get(&addr.resource));
        let Some(block) = block else {
            out.error(&format!(
                "resource address {:?} does not exist in the configuration.\n\nBefore importing this resource, please create its configuration, e.g.:\n\nresource \"{}\" \"{}\" {{\n  # (resource arguments)\n}}",
                addr.to_string(),
                addr.resource.type_name,
                addr.resource.name
            ));
            return Ok(ExitCode::from(1));
        };
        let key_ok = match &addr.key {
            None => block.count.is_none() && block.for_each.is_none(),
            Some(InstanceKey::Int(_)) => block.count.is_some(),
            Some(InstanceKey::Str(_)) => block.for_each.is_some(),
        };
        if !key_ok {
            let want = if block.count.is_some() {
                "a number index, e.g. [0] (the block has count)"
            } else if block.for_each.is_some() {
                "a string key, e.g. [\"name\"] (the block has for_each)"
            } else {
                "no index (the block has neither count nor for_each)"
            };
            out.error(&format!("{addr}: the instance key does not match the resource block: use {want}"));
            return Ok(ExitCode::from(1));
        }
        if p.prior.objects.contains_key(&addr) {
            out.error(&format!(
                "resource already managed by emrform: {addr} is already in state; to import it to another address, first remove it with `emrform state rm {addr}`"
            ));
            return Ok(ExitCode::from(1));
        }
        let provider_key = block.provider.clone().unwrap_or_else(|| {
            addr.resource
                .type_name
                .split('_')
                .next()
                .unwrap_or("aws")
                .to_string()
        });
        println!("{addr}: Importing from ID \"{}\"...", args.id);
        let value = match p.cloud.import(&provider_key, &addr, &args.id).await {
            Ok(Some(v)) => v,
            Ok(None) => {
                out.error(&format!(
                    "cannot import non-existent remote object: no {} with id {:?} exists (check the id and the provider's region)",
                    addr.resource.type_name, args.id
                ));
                return Ok(ExitCode::from(1));
            }
            Err(e) => {
                out.error(&e.to_string());
                return Ok(ExitCode::from(1));
            }
        };
        let mut st = p.prior.clone();
        st.objects.insert(
            addr.clone(),
            PriorObject {
                value,
                provider_key,
                dependencies: Vec::new(),
                pending_create: false,
            },
        );
        let j = to_json(&st, &[]);
        p.state_file.write(&j)?;
        drop(p.lock);
        println!("{addr}: Import prepared!\n  Prepared {} for import", addr.resource.type_name);
        println!("\nImport successful!\n\nThe resources that were imported are shown above. These resources are now in\nyour emrform state and will henceforth be managed by emrform.");
        Ok(ExitCode::SUCCESS)
    })
}
