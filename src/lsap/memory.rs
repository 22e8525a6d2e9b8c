//! Memory the solvers may use, and fallible allocation of their big buffers: a shortfall becomes
//! [`LsapError::TooLarge`] naming the bytes needed, never an abort of the process.
//!
//! The limit is the smallest of: a process-wide configured limit ([`set_limit`]), the room left
//! under the cgroup memory limit (v2 `memory.max − memory.current`, v1 `memory.limit_in_bytes −
//! memory.usage_in_bytes`, the tightest along the cgroup's ancestors), and `MemAvailable` from
//! `/proc/meminfo`. Sources that do not exist (another OS, no cgroup limit) are skipped. Buffers of
//! at least [`CHECKED_BYTES`] are checked against the limit before they are reserved; every buffer
//! made here is reserved with `try_reserve_exact`, so an allocator refusal (an `RLIMIT_AS`, an
//! overcommit policy) is reported the same way.

use super::LsapError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Buffers from this size up are checked against [`limit_bytes`] before they are reserved
/// (reading the limit costs a few file reads; small buffers skip it).
pub const CHECKED_BYTES: u64 = 16 << 20;

/// The configured limit; `u64::MAX` means none.
static CONFIGURED: AtomicU64 = AtomicU64::new(u64::MAX);

/// Set (or clear, with `None`) a process-wide cap on the memory one solver buffer may take, on top
/// of what the system reports as available. Meant for services that share a machine and for tests.
pub fn set_limit(bytes: Option<u64>) {
    CONFIGURED.store(bytes.unwrap_or(u64::MAX), Ordering::Relaxed);
}

/// The configured cap, if any ([`set_limit`]).
pub fn configured_limit() -> Option<u64> {
    match CONFIGURED.load(Ordering::Relaxed) {
        u64::MAX => None,
        x => Some(x),
    }
}

/// Memory the system reports as available to this process now: the smaller of the room under
/// its cgroup limit and `MemAvailable`. `None` when neither can be read.
pub fn available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| parse_meminfo_available(&s));
    let cgroup = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|s| cgroup_room(&s, Path::new("/sys/fs/cgroup")));
    match (meminfo, cgroup) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The limit a new buffer is checked against: the configured cap and what is available, whichever
/// is smaller (`u64::MAX` when neither is known).
pub fn limit_bytes() -> u64 {
    let configured = CONFIGURED.load(Ordering::Relaxed);
    available_bytes().map_or(configured, |a| a.min(configured))
}

/// Fail with [`LsapError::TooLarge`] unless `needed` bytes fit under [`limit_bytes`].
///
/// # Errors
/// [`LsapError::TooLarge`] when they do not fit.
pub fn check(needed: u64) -> Result<(), LsapError> {
    let limit = limit_bytes();
    if needed > limit {
        return Err(LsapError::TooLarge {
            needed_bytes: needed,
            limit_bytes: limit,
        });
    }
    Ok(())
}

/// [`check`] for buffers of at least [`CHECKED_BYTES`]; smaller ones always pass.
///
/// # Errors
/// [`LsapError::TooLarge`] as for [`check`].
pub fn check_big(needed: u64) -> Result<(), LsapError> {
    if needed >= CHECKED_BYTES {
        check(needed)?;
    }
    Ok(())
}

/// Bytes taken by `len` values of `T`, saturating at `u64::MAX`.
pub fn bytes_of<T>(len: usize) -> u64 {
    (len as u64).saturating_mul(std::mem::size_of::<T>() as u64)
}

/// An empty vector with room for exactly `len` values, reserved fallibly (checked against the
/// limit first when it is big).
///
/// # Errors
/// [`LsapError::TooLarge`] when the buffer exceeds the limit or the allocator refuses it.
pub fn try_with_capacity<T>(len: usize) -> Result<Vec<T>, LsapError> {
    let needed = bytes_of::<T>(len);
    check_big(needed)?;
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| LsapError::TooLarge {
        needed_bytes: needed,
        limit_bytes: limit_bytes(),
    })?;
    Ok(v)
}

/// `vec![value; len]`, allocated fallibly ([`try_with_capacity`]).
///
/// # Errors
/// [`LsapError::TooLarge`] as for [`try_with_capacity`].
pub fn try_vec<T: Clone>(value: T, len: usize) -> Result<Vec<T>, LsapError> {
    let mut v = try_with_capacity(len)?;
    v.resize(len, value);
    Ok(v)
}

/// Peak bytes [`super::solve_dense`] allocates for a `rows × cols` matrix beyond the input itself:
/// a full signed or oriented copy unless the input is C-contiguous and minimised as given (or
/// when it is tall: its transpose is gathered row by row), plus O(rows + cols) bookkeeping.
pub fn dense_bytes(rows: usize, cols: usize, maximize: bool, c_contiguous: bool) -> u64 {
    let entries = (rows as u64).saturating_mul(cols as u64);
    let copy = if maximize || !c_contiguous || rows > cols {
        entries.saturating_mul(8)
    } else {
        0
    };
    copy.saturating_add(small_bytes(rows, cols))
}

/// Peak bytes [`super::solve_capacitated`] allocates for a `rows × cols` matrix beyond the input
/// itself: a row-major copy when the input is not C-contiguous, a transposed copy when the
/// columns have fewer capacity units than the rows (at most one of the two is live with the
/// other), per-row candidate lists and O(rows + cols) bookkeeping.
pub fn capacitated_bytes(rows: usize, cols: usize, c_contiguous: bool, transpose: bool) -> u64 {
    let entries = (rows as u64).saturating_mul(cols as u64);
    let copies = u64::from(!c_contiguous) + u64::from(transpose);
    let side = if transpose { cols } else { rows } as u64;
    // Up to 64 candidates per row: column (4), key (16), weight (8).
    let candidates = side.saturating_mul(64 * 28);
    entries
        .saturating_mul(8 * copies)
        .saturating_add(candidates)
        .saturating_add(small_bytes(rows, cols))
}

/// O(rows + cols) buffers of either solver (labels, potentials, flags, heaps): a generous
/// 128 bytes per row and per column.
fn small_bytes(rows: usize, cols: usize) -> u64 {
    (rows as u64)
        .saturating_add(cols as u64)
        .saturating_mul(128)
}

/// `MemAvailable` from the text of `/proc/meminfo`, in bytes.
fn parse_meminfo_available(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let mut parts = line.split_whitespace().skip(1);
    let value: u64 = parts.next()?.parse().ok()?;
    let scale = match parts.next() {
        Some("kB") => 1024,
        None => 1,
        Some(_) => return None,
    };
    Some(value.saturating_mul(scale))
}

/// Room under the tightest memory limit of this process's cgroup and its ancestors, from the text
/// of `/proc/self/cgroup` and the cgroup file system mounted at `root`.
fn cgroup_room(self_cgroup: &str, root: &Path) -> Option<u64> {
    let mut best: Option<u64> = None;
    let mut take = |room: Option<u64>| {
        if let Some(r) = room {
            best = Some(best.map_or(r, |b| b.min(r)));
        }
    };
    for line in self_cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let rel = path.trim_start_matches('/');
        if id == "0" && controllers.is_empty() {
            for dir in ancestors(root, rel) {
                take(room_in(&dir, "memory.max", "memory.current"));
            }
        } else if controllers.split(',').any(|c| c == "memory") {
            for dir in ancestors(&root.join("memory"), rel) {
                take(room_in(
                    &dir,
                    "memory.limit_in_bytes",
                    "memory.usage_in_bytes",
                ));
            }
        }
    }
    best
}

/// `base/rel` and each of its parents up to `base`.
fn ancestors(base: &Path, rel: &str) -> Vec<PathBuf> {
    let mut out = vec![base.to_path_buf()];
    let mut dir = base.to_path_buf();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        dir.push(part);
        out.push(dir.clone());
    }
    out
}

/// `limit − usage` read from two files of one cgroup directory; `None` without a numeric limit
/// (`max`, or a v1 "unlimited" value near `u64::MAX`).
fn room_in(dir: &Path, limit_file: &str, usage_file: &str) -> Option<u64> {
    let read = |f: &str| -> Option<u64> {
        std::fs::read_to_string(dir.join(f))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    };
    let limit = read(limit_file)?;
    if limit >= 1 << 60 {
        return None;
    }
    let usage = read(usage_file).unwrap_or(0);
    Some(limit.saturating_sub(usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_available_is_read_in_bytes() {
        let text = "MemTotal:       32000000 kB\nMemFree:  100 kB\nMemAvailable:   22882152 kB\n";
        assert_eq!(parse_meminfo_available(text), Some(22_882_152 * 1024));
        assert_eq!(parse_meminfo_available("MemTotal: 5 kB\n"), None);
    }

    #[test]
    fn cgroup_room_takes_the_tightest_ancestor() {
        let root = std::env::temp_dir().join(format!("mentorpair-cgroup-{}", std::process::id()));
        let leaf = root.join("a/b");
        std::fs::create_dir_all(&leaf).unwrap();
        std::fs::write(root.join("a/memory.max"), "1000\n").unwrap();
        std::fs::write(root.join("a/memory.current"), "300\n").unwrap();
        std::fs::write(leaf.join("memory.max"), "max\n").unwrap();
        std::fs::write(leaf.join("memory.current"), "200\n").unwrap();
        assert_eq!(cgroup_room("0::/a/b\n", &root), Some(700));
        // v1: the memory controller's hierarchy.
        let v1 = root.join("memory/x");
        std::fs::create_dir_all(&v1).unwrap();
        std::fs::write(v1.join("memory.limit_in_bytes"), "5000").unwrap();
        std::fs::write(v1.join("memory.usage_in_bytes"), "1000").unwrap();
        assert_eq!(cgroup_room("4:memory:/x\n", &root), Some(4000));
        assert_eq!(cgroup_room("0::/nowhere\n", &root.join("none")), None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn impossible_sizes_are_errors_not_aborts() {
        let e = try_vec(0.0f64, usize::MAX / 4).unwrap_err();
        assert!(
            matches!(e, LsapError::TooLarge { needed_bytes, .. } if needed_bytes >= u64::MAX / 2)
        );
        assert_eq!(try_vec(1u8, 3).unwrap(), vec![1, 1, 1]);
    }

    #[test]
    fn estimates_count_the_copies() {
        assert_eq!(dense_bytes(10, 10, false, true), 20 * 128);
        assert_eq!(dense_bytes(10, 10, true, true), 800 + 20 * 128);
        assert_eq!(dense_bytes(20, 10, false, true), 1600 + 30 * 128);
        let plain = capacitated_bytes(100, 50, true, false);
        assert_eq!(capacitated_bytes(100, 50, false, false), plain + 40_000);
    }
}
