//! Files written to a temporary name beside their destination and renamed into place, so a crash
//! never leaves half a file where a good one was.
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Calls `write` with a temporary path (same directory, same extension) and renames it to `path`.
pub fn with_temp_path(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp{ext}", std::process::id()));
    let res = write(&tmp).and_then(|()| std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e)));
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    with_temp_path(path, |tmp| {
        let mut f = std::fs::File::create(tmp).map_err(|e| Error::io(path, e))?;
        f.write_all(bytes).and_then(|()| f.sync_all()).map_err(|e| Error::io(path, e))
    })
}

/// Checks, before long work, that `path` can be written as [`write_atomically`] will: not a
/// directory, and its directory exists and takes a new file (one is made and removed).
pub fn check_writable(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::Usage(format!("{} is a directory; give a file name to write", path.display())));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "cannot write {}: the directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let probe = dir.join(format!(".newsprov-write-check-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(Error::Usage(format!("cannot write {}: {e}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_or_not_at_all() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("m.bin");
        write_atomically(&p, b"first").unwrap();
        write_atomically(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let failed = with_temp_path(&p, |_| Err(Error::Internal("crash".into())));
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1, "no temporary left behind");
        assert!(write_atomically(&d.path().join("no/such/dir/m"), b"x").is_err());
    }
}
