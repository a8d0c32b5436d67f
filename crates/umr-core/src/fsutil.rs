//! File system helpers: atomic writes.

use crate::diagnostic::{Result, UmrError};
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically: a temporary file in the same folder is written,
/// flushed to disk and renamed over the target, so readers see the old file or the new
/// one, never a partial file. Parent folders are created.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| UmrError::io(dir.display(), e))?;
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(UmrError::io(path.display(), e));
    }
    Ok(())
}

/// Write `bytes` to `path` only if it does not exist yet, atomically: the temporary file is
/// hard-linked to the target name, which fails if another writer got there first.
pub fn write_new_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| UmrError::io(dir.display(), e))?;
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::hard_link(&tmp, path)?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            UmrError::Refused {
                code: "E_EXISTS".into(),
                message: format!("{} already exists", path.display()),
            }
        } else {
            UmrError::io(path.display(), e)
        }
    })
}

/// The folder `root/rel`, created as needed, with every step checked to stay inside
/// `root`: an existing step that is a symbolic link (or otherwise resolves) to a place
/// outside the root is refused with `E_SYMLINK_ESCAPE` before anything is created or
/// written through it. `rel` must be relative, without `..` (record names guarantee it).
pub fn create_dir_inside(root: &Path, rel: &Path) -> Result<std::path::PathBuf> {
    use std::path::Component;
    std::fs::create_dir_all(root).map_err(|e| UmrError::io(root.display(), e))?;
    let canon_root = root
        .canonicalize()
        .map_err(|e| UmrError::io(root.display(), e))?;
    let mut dir = root.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(part) => dir.push(part),
            Component::CurDir => continue,
            _ => {
                return Err(UmrError::Refused {
                    code: "E_NAME".into(),
                    message: format!("{} is not a path inside the registry", rel.display()),
                })
            }
        }
        match std::fs::symlink_metadata(&dir) {
            Ok(_) => {
                let canon = dir
                    .canonicalize()
                    .map_err(|e| UmrError::io(dir.display(), e))?;
                if !canon.starts_with(&canon_root) {
                    return Err(UmrError::Refused {
                        code: "E_SYMLINK_ESCAPE".into(),
                        message: format!(
                            "{} leads outside the registry root {} (to {}); refusing to write through it",
                            dir.display(),
                            root.display(),
                            canon.display()
                        ),
                    });
                }
                if !canon.is_dir() {
                    return Err(UmrError::io(
                        dir.display(),
                        "exists and is not a folder".to_string(),
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::create_dir(&dir) {
                    Ok(()) => {}
                    // another writer created it meanwhile: check it on the next pass
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(UmrError::io(dir.display(), e)),
                }
            }
            Err(e) => return Err(UmrError::io(dir.display(), e)),
        }
    }
    Ok(dir)
}

/// The path of the file `root/rel` (a record's registry path), its folders created with
/// [`create_dir_inside`]: a step leading outside `root` is refused with
/// `E_SYMLINK_ESCAPE` before anything is written.
pub fn file_inside(root: &Path, rel: &Path) -> Result<std::path::PathBuf> {
    let dir = create_dir_inside(root, rel.parent().unwrap_or(Path::new("")))?;
    Ok(match rel.file_name() {
        Some(f) => dir.join(f),
        None => dir,
    })
}

fn temp_path(path: &Path) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}
