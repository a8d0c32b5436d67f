//! File system helpers: the one bounded reader every file and stream goes through, atomic
//! writes, and writes that stay inside a registry root.

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

/// Where a read comes from, which decides what may be read.
#[derive(Debug, Clone, Copy)]
pub enum ReadFrom<'a> {
    /// A file of the registry rooted at this folder (a lock file, a record): regular files
    /// only, and a path that leads outside the root through a link is refused with
    /// `E_SYMLINK_ESCAPE`.
    Registry(&'a Path),
    /// A path the user named (a card or BOM to import, a record to check, `-` or
    /// `/dev/stdin`): regular files and streams (a pipe) are read; devices are refused.
    Argument,
}

fn refused(code: &str, message: String) -> UmrError {
    UmrError::Refused {
        code: code.into(),
        message,
    }
}

fn too_big(path: &Path, len: Option<u64>, max: usize) -> UmrError {
    refused(
        "E_LIMIT_SIZE",
        match len {
            Some(n) => format!("{}: {n} bytes; the limit is {max} bytes", path.display()),
            None => format!(
                "{}: more than {max} bytes; the limit is {max} bytes (stopped reading there)",
                path.display()
            ),
        },
    )
}

/// Read at most `max` bytes from `path`: the one reader of UMR for files and streams.
///
/// * A regular file larger than `max` is refused with `E_LIMIT_SIZE` before it is read;
///   one that grows while it is read is refused when the limit is passed (reading stops
///   there, one byte past the limit).
/// * A stream (`-` for standard input, a pipe, `/dev/stdin`) is read up to the limit and
///   refused with `E_LIMIT_SIZE` as soon as it passes it — only for [`ReadFrom::Argument`].
/// * Devices (`/dev/zero`, a terminal), sockets, and in a registry FIFOs too, are refused
///   with `E_NOT_A_FILE` without being opened for reading.
/// * In a registry, a path that leads outside the root (through a link) is refused with
///   `E_SYMLINK_ESCAPE`.
pub fn read_limited(path: &Path, max: usize, from: ReadFrom<'_>) -> Result<Vec<u8>> {
    use std::io::Read;
    let cap = (max as u64).saturating_add(1);
    let bounded = |r: &mut dyn Read, hint: usize| -> Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(hint.min(max).saturating_add(1));
        r.take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| UmrError::io(path.display(), e))?;
        if bytes.len() > max {
            return Err(too_big(path, None, max));
        }
        Ok(bytes)
    };
    if path.as_os_str() == "-" {
        if let ReadFrom::Registry(_) = from {
            return Err(refused(
                "E_NOT_A_FILE",
                "standard input is not a registry file".into(),
            ));
        }
        return bounded(&mut std::io::stdin().lock(), 0);
    }
    let meta = std::fs::metadata(path).map_err(|e| UmrError::io(path.display(), e))?;
    let ft = meta.file_type();
    let stream = is_stream(&ft);
    if ft.is_dir() {
        // as reading a folder fails everywhere: an I/O error, not a refusal
        return Err(UmrError::io(path.display(), "Is a directory (os error 21)"));
    }
    let readable = ft.is_file() || (stream && matches!(from, ReadFrom::Argument));
    if !readable {
        let what = if stream {
            "a pipe or socket"
        } else {
            "a device or special file"
        };
        return Err(refused(
            "E_NOT_A_FILE",
            format!(
                "{} is {what}, not a file; refusing to read it",
                path.display()
            ),
        ));
    }
    if let ReadFrom::Registry(root) = from {
        let canon_root = root
            .canonicalize()
            .map_err(|e| UmrError::io(root.display(), e))?;
        let canon = path
            .canonicalize()
            .map_err(|e| UmrError::io(path.display(), e))?;
        if !canon.starts_with(&canon_root) {
            return Err(refused(
                "E_SYMLINK_ESCAPE",
                format!(
                    "{} leads outside the registry root {} (to {}); refusing to read it",
                    path.display(),
                    root.display(),
                    canon.display()
                ),
            ));
        }
    }
    if ft.is_file() && meta.len() > max as u64 {
        return Err(too_big(path, Some(meta.len()), max));
    }
    let mut f = open_for_reading(path, ft.is_file())?;
    if ft.is_file() {
        // the path may have been replaced between the look and the open: look again
        let now = f.metadata().map_err(|e| UmrError::io(path.display(), e))?;
        if !now.file_type().is_file() {
            return Err(refused(
                "E_NOT_A_FILE",
                format!(
                    "{} changed while it was opened; refusing to read it",
                    path.display()
                ),
            ));
        }
    }
    bounded(&mut f, meta.len() as usize)
}

#[cfg(unix)]
fn is_stream(ft: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    ft.is_fifo() || ft.is_socket()
}

#[cfg(not(unix))]
fn is_stream(_ft: &std::fs::FileType) -> bool {
    false
}

/// Open for reading; a path expected to be a regular file is opened without blocking, so
/// that one swapped for a FIFO after it was looked at cannot hang the reader.
fn open_for_reading(path: &Path, regular: bool) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    if regular {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    #[cfg(not(unix))]
    let _ = regular;
    o.open(path).map_err(|e| UmrError::io(path.display(), e))
}

/// The publish lock of a registry folder: an exclusive advisory lock (`flock`) on
/// `<root>/.umr-publish.lock`, held until dropped. The system releases it when its holder
/// exits, however it exits, so there is no stale lock to clean. Where `flock` is not
/// available the lock is the exclusive creation of that file, and a lock file older than
/// [`PublishLock::STALE_SECS`] is taken as left by a publisher that died.
pub struct PublishLock {
    #[cfg(unix)]
    _file: std::fs::File,
    #[cfg(not(unix))]
    path: std::path::PathBuf,
}

impl PublishLock {
    /// Where `flock` is missing: how old a lock file must be to be taken as stale.
    pub const STALE_SECS: u64 = 120;

    /// Wait for and take the publish lock of `root`.
    pub fn acquire(root: &Path) -> Result<PublishLock> {
        let path = root.join(".umr-publish.lock");
        #[cfg(unix)]
        {
            use rustix::fs::{flock, FlockOperation};
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| UmrError::io(path.display(), e))?;
            flock(&file, FlockOperation::LockExclusive)
                .map_err(|e| UmrError::io(path.display(), std::io::Error::from(e)))?;
            Ok(PublishLock { _file: file })
        }
        #[cfg(not(unix))]
        {
            loop {
                match std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                {
                    Ok(_) => return Ok(PublishLock { path }),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let stale = std::fs::metadata(&path)
                            .and_then(|m| m.modified())
                            .ok()
                            .and_then(|t| t.elapsed().ok())
                            .is_some_and(|age| age.as_secs() > Self::STALE_SECS);
                        if stale {
                            let _ = std::fs::remove_file(&path);
                        } else {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                    }
                    Err(e) => return Err(UmrError::io(path.display(), e)),
                }
            }
        }
    }
}

#[cfg(not(unix))]
impl Drop for PublishLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
