//! Node.js peers for the tests: the installed Node.js checked, the npm packages of a folder
//! installed from its lockfile when they are missing or older than it (`npm ci`, as
//! `scripts/test` does), and the versions the lockfile pins read back.
//!
//! A missing peer is an error that says what to install; the tests turn it into a failure,
//! never a skip.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The oldest Node.js major version the peers run on.
pub const NODE_MAJOR_MIN: u32 = 20;

/// Runs `program args` in `dir`: its standard output, or a message naming what failed and
/// what to install.
///
/// # Errors
/// The message, when the program cannot be started or exits unsuccessfully.
pub fn run_tool(program: &str, args: &[&str], dir: &Path) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            format!(
                "`{program}` could not be run ({e}). The tests need Node.js {NODE_MAJOR_MIN}+ \
                 and npm: install them (Debian: `apt-get install nodejs npm`), then run \
                 scripts/test"
            )
        })?;
    if !output.status.success() {
        return Err(format!(
            "`{program} {}` failed ({}):\n{}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Checks Node.js, installs the packages of `dir` from its `package-lock.json` when needed, and
/// returns the versions the lockfile pins for `packages`, by name.
///
/// # Errors
/// A message saying what is missing or what failed.
pub fn npm_ready(dir: &Path, packages: &[&str]) -> Result<BTreeMap<String, String>, String> {
    let version = run_tool("node", &["--version"], dir)?;
    let major: u32 = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| format!("unexpected `node --version`: {version}"))?;
    if major < NODE_MAJOR_MIN {
        return Err(format!(
            "Node.js {} is too old: the tests need {NODE_MAJOR_MIN}+",
            version.trim()
        ));
    }
    let lockfile = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let stale = match (modified(&installed), modified(&lockfile)) {
        (Some(installed), Some(locked)) => installed < locked,
        _ => true,
    };
    if stale {
        run_tool(
            "npm",
            &["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            dir,
        )?;
    }
    let bytes = std::fs::read(&lockfile).map_err(|e| format!("{}: {e}", lockfile.display()))?;
    let lock: Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", lockfile.display()))?;
    packages
        .iter()
        .map(|&name| {
            lock.get("packages")
                .and_then(|p| p.get(format!("node_modules/{name}")))
                .and_then(|p| p.get("version"))
                .and_then(Value::as_str)
                .map(|version| (name.to_owned(), version.to_owned()))
                .ok_or_else(|| format!("{} does not pin {name}", lockfile.display()))
        })
        .collect()
}
