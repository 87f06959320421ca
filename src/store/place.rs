//! Where a store may live: a local filesystem kanta can write to.
//!
//! SQLite's own documentation says every process using a database must be on
//! one host, and WAL mode does not work over a network filesystem: its locks
//! and shared memory are not shared between machines. A store on NFS, SMB or
//! sshfs is refused before a byte is read, with what to do instead. A store in
//! a place kanta cannot write to is refused too, instead of failing at the
//! first save.

use std::path::{Path, PathBuf};

use super::StoreError;

/// Filesystem types (as the mount table names them) that reach another machine.
const NETWORK_FILESYSTEMS: [&str; 18] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "lustre",
    "fuse.s3fs",
    "davfs",
    "fuse.davfs2",
    "fuse.rclone",
    "gpfs",
];

/// One line of the mount table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    pub point: PathBuf,
    pub fstype: String,
    pub read_only: bool,
}

/// Reads `/proc/self/mountinfo` (see proc(5)): the mount point is the fifth
/// field, with spaces and other bytes escaped as `\040`; the mount options
/// the sixth; the filesystem type follows the ` - ` separator.
pub(crate) fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" - ")?;
            let fields: Vec<&str> = before.split(' ').collect();
            let point = unescape(fields.get(4)?);
            let options = fields.get(5)?;
            let fstype = after.split(' ').next()?.to_string();
            Some(Mount {
                point: PathBuf::from(point),
                fstype,
                read_only: options.split(',').any(|o| o == "ro"),
            })
        })
        .collect()
}

/// `\040` and the other octal escapes of the mount table.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal {
            Some(d) => {
                let value = d.iter().fold(0u32, |acc, b| acc * 8 + u32::from(b - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount a path is on: the one with the longest mount point that contains it.
pub(crate) fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    mounts
        .iter()
        .filter(|m| path.starts_with(&m.point))
        .max_by_key(|m| m.point.components().count())
}

/// Refuses a store on a network filesystem or a read-only mount, by the
/// mount table's word for the folder the store is (or will be) in.
pub(crate) fn check_mount(path: &Path, mounts: &[Mount]) -> Result<(), StoreError> {
    let folder = folder_of(path);
    let Some(mount) = mount_of(mounts, &folder) else {
        return Ok(());
    };
    if NETWORK_FILESYSTEMS.contains(&mount.fstype.as_str()) {
        return Err(StoreError::NetworkFilesystem {
            path: path.to_path_buf(),
            fstype: mount.fstype.clone(),
        });
    }
    if mount.read_only {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            why: format!("{} is mounted read-only", mount.point.display()),
        });
    }
    Ok(())
}

/// The folder of the store, as an absolute path with links resolved where it
/// exists.
fn folder_of(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = absolute.parent().map(Path::to_path_buf).unwrap_or(absolute);
    folder.canonicalize().unwrap_or(folder)
}

/// Every check of the store's place this platform can make.
pub(crate) fn check_place(path: &Path) -> Result<(), StoreError> {
    #[cfg(target_os = "linux")]
    {
        // The mount table is the kernel's, never a store file.
        if let Ok(table) = std::fs::read_to_string("/proc/self/mountinfo") {
            check_mount(path, &parse_mountinfo(&table))?;
        }
    }
    check_writable(path)
}

/// The store file (when it exists) and its folder must be writable by this
/// user: SQLite would otherwise open it read-only without a word.
#[cfg(unix)]
fn check_writable(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::ffi::OsStrExt;
    let target = if path.exists() {
        path.to_path_buf()
    } else {
        folder_of(path)
    };
    let Ok(name) = std::ffi::CString::new(target.as_os_str().as_bytes()) else {
        return Ok(());
    };
    // SAFETY: `name` is a valid NUL-terminated path; access only reads it.
    let result = unsafe { libc::access(name.as_ptr(), libc::W_OK) };
    if result == 0 {
        return Ok(());
    }
    let error = std::io::Error::last_os_error();
    if error.kind() == std::io::ErrorKind::NotFound {
        // A missing folder is the creation's error to report.
        return Ok(());
    }
    Err(StoreError::ReadOnly {
        path: path.to_path_buf(),
        why: format!("{}: {error}", target.display()),
    })
}

#[cfg(not(unix))]
fn check_writable(path: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().readonly() => Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            why: "the file is read-only".to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 27 0:40 / /home/aino/shop rw,relatime - nfs4 files:/shop rw,vers=4.2
41 27 0:41 / /media/usb ro,relatime - vfat /dev/sdb1 ro
42 27 0:42 / /mnt/my\\040drive rw - fuse.sshfs aino@nas:/ rw
43 40 0:43 / /home/aino/shop/local rw - ext4 /dev/sdc1 rw
";

    #[test]
    fn the_mount_table_is_read_with_its_escapes() {
        let mounts = parse_mountinfo(TABLE);
        assert_eq!(mounts.len(), 6);
        assert_eq!(mounts[4].point, PathBuf::from("/mnt/my drive"));
        assert_eq!(mounts[4].fstype, "fuse.sshfs");
        assert!(mounts[3].read_only);
        assert!(!mounts[1].read_only);
    }

    #[test]
    fn a_store_on_a_network_filesystem_is_refused_with_what_to_do() {
        let mounts = parse_mountinfo(TABLE);
        let err = check_mount(Path::new("/home/aino/shop/kanta.db"), &mounts)
            .expect_err("nfs is refused");
        let said = err.to_string();
        assert!(said.contains("network filesystem (nfs4)"), "{said}");
        assert!(said.contains("one host"), "{said}");
        assert!(check_mount(Path::new("/mnt/my drive/k.db"), &mounts).is_err());
        // The longest mount point decides: a local disk mounted inside.
        assert!(check_mount(Path::new("/home/aino/shop/local/k.db"), &mounts).is_ok());
        assert!(check_mount(Path::new("/home/aino/kanta.db"), &mounts).is_ok());
    }

    #[test]
    fn a_store_on_a_read_only_mount_is_refused() {
        let mounts = parse_mountinfo(TABLE);
        let said = check_mount(Path::new("/media/usb/kanta.db"), &mounts)
            .expect_err("read-only")
            .to_string();
        assert!(said.contains("/media/usb is mounted read-only"), "{said}");
    }

    #[test]
    fn this_machine_s_temporary_folder_is_a_fine_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(check_place(&dir.path().join("kanta.db")).is_ok());
    }
}
