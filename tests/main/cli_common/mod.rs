//! Running the real binary for the command-line tests.

use std::path::Path;
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `kanta ARGS` in `dir` with `dir/config.toml` as its config (an empty
/// one when the test wrote none: a named config must exist) and no
/// `$KANTA_DB`, so nothing of the machine's own setup leaks in.
pub fn kanta(dir: &Path, args: &[&str]) -> Run {
    let config = dir.join("config.toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_kanta"))
        .args(args)
        .arg("--config")
        .arg(dir.join("config.toml"))
        .env_remove("KANTA_DB")
        .current_dir(dir)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
