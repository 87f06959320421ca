//! Where the store and the config are.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

use super::CliError;

/// `--db PATH`, else `$KANTA_DB`, else `kanta.db` in the platform data directory.
pub(crate) fn store_path(db: Option<&Path>) -> Result<PathBuf, CliError> {
    let from_env = std::env::var_os("KANTA_DB").filter(|v| !v.is_empty());
    resolve(db, from_env.map(PathBuf::from), |dirs| {
        dirs.data_dir().join("kanta.db")
    })
    .ok_or_else(|| {
        CliError::BadInput(
            "no home directory to keep the store in; pass --db PATH or set KANTA_DB".into(),
        )
    })
}

/// `demo.db` in the platform data directory, beside the real store's default
/// place but never it: what `kanta demo` uses without `--db`.
pub(crate) fn demo_path() -> Result<PathBuf, CliError> {
    ProjectDirs::from("", "", "kanta")
        .map(|dirs| demo_in(&dirs))
        .ok_or_else(|| {
            CliError::BadInput(
                "no home directory to keep the demo store in; pass --db PATH for it".into(),
            )
        })
}

fn demo_in(dirs: &ProjectDirs) -> PathBuf {
    dirs.data_dir().join("demo.db")
}

/// `--config PATH`, else `config.toml` in the platform config directory.
pub(crate) fn config_path(config: Option<&Path>) -> Result<PathBuf, CliError> {
    resolve(config, None, |dirs| dirs.config_dir().join("config.toml")).ok_or_else(|| {
        CliError::BadInput("no home directory to find the config in; pass --config PATH".into())
    })
}

fn resolve(
    given: Option<&Path>,
    from_env: Option<PathBuf>,
    default: impl FnOnce(&ProjectDirs) -> PathBuf,
) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or(from_env)
        .or_else(|| ProjectDirs::from("", "", "kanta").map(|dirs| default(&dirs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_argument_wins_over_the_environment() {
        let path = resolve(Some(Path::new("a.db")), Some(PathBuf::from("b.db")), |_| {
            PathBuf::from("c.db")
        });
        assert_eq!(path, Some(PathBuf::from("a.db")));
    }

    #[test]
    fn the_demo_store_is_not_the_real_stores_default() {
        if let Some(dirs) = ProjectDirs::from("", "", "kanta") {
            let real = resolve(None, None, |d| d.data_dir().join("kanta.db"));
            assert_eq!(
                demo_in(&dirs).parent(),
                real.as_deref().and_then(Path::parent)
            );
            assert_ne!(Some(demo_in(&dirs)), real);
        }
    }

    #[test]
    fn the_environment_wins_over_the_default() {
        let path = resolve(None, Some(PathBuf::from("b.db")), |_| PathBuf::from("c.db"));
        assert_eq!(path, Some(PathBuf::from("b.db")));
    }
}
