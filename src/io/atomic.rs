//! Output files written whole or not at all. Every target of a run is checked, and a temporary
//! file opened next to it, before anything is written; the temporary files are renamed into place
//! only once every output has been written. `-` names standard output.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The path that names standard output.
pub const STDOUT: &str = "-";

/// Why the outputs of a run cannot be written. No target has been changed when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// An output would overwrite one of the run's inputs.
    #[error("{output} {path}: this is also the {input} input; write the output to another file")]
    SameAsInput {
        /// The output's option, e.g. `--out`.
        output: String,
        /// The input's option, e.g. `--mentees`.
        input: String,
        /// The path both name.
        path: PathBuf,
    },
    /// Two outputs name the same file (or both standard output).
    #[error("{first} and {second} both name {path}; give each output its own file")]
    SameOutput {
        /// The first output's option.
        first: String,
        /// The second output's option.
        second: String,
        /// The path both name.
        path: PathBuf,
    },
    /// The target is a folder.
    #[error("{output} {path}: is a folder; name a file inside it")]
    IsFolder {
        /// The output's option.
        output: String,
        /// The folder.
        path: PathBuf,
    },
    /// The target's folder cannot be created or written to.
    #[error("{output} {path}: cannot write in {folder}: {message}; no output was changed")]
    Folder {
        /// The output's option.
        output: String,
        /// The target.
        path: PathBuf,
        /// The folder that failed.
        folder: PathBuf,
        /// The system's reason.
        message: String,
    },
    /// Writing or renaming failed (disk full, file-size limit, ...).
    #[error("{output} {path}: cannot write: {message}; no output was changed")]
    Write {
        /// The output's option.
        output: String,
        /// The target.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
}

enum Target {
    Stdout(Vec<u8>),
    File {
        path: PathBuf,
        temp: tempfile::NamedTempFile,
    },
}

struct Slot {
    label: String,
    target: Target,
}

/// The outputs of one run, staged in temporary files until [`OutputSet::commit`].
///
/// Dropping the set without committing removes the temporary files and leaves every target as it
/// was.
pub struct OutputSet {
    slots: Vec<Slot>,
}

/// What a path points at, for comparing paths: the canonical path of the file (or of its folder
/// plus the file name when it does not exist yet).
fn identity(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let parent = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = match parent {
        Some(d) => d.canonicalize().unwrap_or_else(|_| absolute(d)),
        None => std::env::current_dir().unwrap_or_default(),
    };
    dir.join(name)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Two existing paths that are the same file (hard links included).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == STDOUT
}

impl OutputSet {
    /// Check the `outputs` (option, path) of a run against each other and against its `inputs`,
    /// then open a temporary file in each target's folder (creating the folder if needed).
    ///
    /// # Errors
    /// An output equal to an input or to another output, a folder as target, a folder that cannot
    /// be created or written. Nothing is left behind on error.
    pub fn prepare(
        inputs: &[(&str, &Path)],
        outputs: &[(&str, &Path)],
    ) -> Result<Self, OutputError> {
        let ids: Vec<Option<PathBuf>> = outputs
            .iter()
            .map(|(_, p)| (!is_stdout(p)).then(|| identity(p)))
            .collect();
        for (k, (label, path)) in outputs.iter().enumerate() {
            for (j, (first, _)) in outputs.iter().enumerate().take(k) {
                let same = match (&ids[j], &ids[k]) {
                    (None, None) => true,
                    (Some(a), Some(b)) => a == b || same_file(outputs[j].1, path),
                    _ => false,
                };
                if same {
                    return Err(OutputError::SameOutput {
                        first: first.to_string(),
                        second: label.to_string(),
                        path: path.to_path_buf(),
                    });
                }
            }
            let Some(id) = &ids[k] else { continue };
            for (input, ipath) in inputs {
                if identity(ipath) == *id || same_file(ipath, path) {
                    return Err(OutputError::SameAsInput {
                        output: label.to_string(),
                        input: input.to_string(),
                        path: path.to_path_buf(),
                    });
                }
            }
            if path.is_dir() {
                return Err(OutputError::IsFolder {
                    output: label.to_string(),
                    path: path.to_path_buf(),
                });
            }
        }
        let mut slots = Vec::with_capacity(outputs.len());
        for (label, path) in outputs {
            let target = if is_stdout(path) {
                Target::Stdout(Vec::new())
            } else {
                Target::File {
                    path: path.to_path_buf(),
                    temp: temp_next_to(label, path)?,
                }
            };
            slots.push(Slot {
                label: label.to_string(),
                target,
            });
        }
        Ok(OutputSet { slots })
    }

    /// Whether output `index` goes to standard output.
    pub fn is_stdout(&self, index: usize) -> bool {
        matches!(
            self.slots.get(index).map(|s| &s.target),
            Some(Target::Stdout(_))
        )
    }

    /// Whether any output goes to standard output (then a summary belongs on standard error).
    pub fn any_stdout(&self) -> bool {
        (0..self.slots.len()).any(|i| self.is_stdout(i))
    }

    /// Write output `index` (in the order given to [`OutputSet::prepare`]) with `write`.
    ///
    /// # Errors
    /// The write failed; the target is unchanged.
    ///
    /// # Panics
    /// When `index` is not an output of this set (a programming error).
    pub fn write(
        &mut self,
        index: usize,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let slot = &mut self.slots[index];
        let (result, path) = match &mut slot.target {
            Target::Stdout(buf) => (write(buf), PathBuf::from(STDOUT)),
            Target::File { path, temp } => {
                let mut w = io::BufWriter::new(temp.as_file_mut());
                let r = write(&mut w).and_then(|()| w.flush());
                drop(w);
                (r.and_then(|()| temp.as_file().sync_all()), path.clone())
            }
        };
        result.map_err(|e| OutputError::Write {
            output: slot.label.clone(),
            path,
            message: e.to_string(),
        })
    }

    /// Rename every temporary file into place and copy standard-output buffers to `stdout`.
    ///
    /// # Errors
    /// A rename or the copy to `stdout` failed.
    pub fn commit(self, stdout: &mut dyn Write) -> Result<(), OutputError> {
        for slot in self.slots {
            match slot.target {
                Target::Stdout(buf) => stdout
                    .write_all(&buf)
                    .and_then(|()| stdout.flush())
                    .map_err(|e| OutputError::Write {
                        output: slot.label.clone(),
                        path: PathBuf::from(STDOUT),
                        message: e.to_string(),
                    })?,
                Target::File { path, temp } => {
                    temp.persist(&path).map_err(|e| OutputError::Write {
                        output: slot.label.clone(),
                        path: path.clone(),
                        message: e.error.to_string(),
                    })?;
                }
            }
        }
        Ok(())
    }
}

/// A temporary file in `path`'s folder, with the permissions the target has (or 0644 for a new
/// file on Unix).
fn temp_next_to(label: &str, path: &Path) -> Result<tempfile::NamedTempFile, OutputError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder_err = |e: io::Error| OutputError::Folder {
        output: label.to_string(),
        path: path.to_path_buf(),
        folder: dir.to_path_buf(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(folder_err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(folder_err)?;
    let permissions = match std::fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(p) = permissions {
        // Best effort: a file system without permissions keeps the temporary file's.
        let _ = temp.as_file().set_permissions(p);
    }
    Ok(temp)
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("mentorpair-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    #[test]
    fn nothing_changes_until_commit_and_a_failed_run_leaves_no_trace() {
        let dir = scratch("commit");
        let a = dir.join("a.csv");
        std::fs::write(&a, "old").expect("write");
        let mut set = OutputSet::prepare(&[], &[("--out", &a), ("--json", &dir.join("b.json"))])
            .expect("valid targets");
        set.write(0, |w| w.write_all(b"new")).expect("write");
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "old");
        drop(set);
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "old");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("list").collect();
        assert_eq!(left.len(), 1, "only a.csv remains");

        let mut set = OutputSet::prepare(&[], &[("--out", &a)]).expect("valid");
        set.write(0, |w| w.write_all(b"new")).expect("write");
        set.commit(&mut io::sink()).expect("commit");
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "new");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn targets_are_checked_before_anything_is_written() {
        let dir = scratch("check");
        let input = dir.join("me.csv");
        std::fs::write(&input, "id\n").expect("write");
        let same_input = OutputSet::prepare(
            &[("--mentees", &input)],
            &[("--out", &dir.join("./me.csv"))],
        );
        assert!(matches!(same_input, Err(OutputError::SameAsInput { .. })));
        let twice = OutputSet::prepare(
            &[],
            &[("--out", &dir.join("x")), ("--json", &dir.join("x"))],
        );
        assert!(matches!(twice, Err(OutputError::SameOutput { .. })));
        let two_stdout = OutputSet::prepare(
            &[],
            &[("--out", Path::new("-")), ("--json", Path::new("-"))],
        );
        assert!(matches!(two_stdout, Err(OutputError::SameOutput { .. })));
        let folder = OutputSet::prepare(&[], &[("--out", &dir.join("y")), ("--json", &dir)]);
        assert!(matches!(folder, Err(OutputError::IsFolder { .. })));
        let mut out = Vec::new();
        let mut set = OutputSet::prepare(&[], &[("--out", Path::new("-"))]).expect("stdout");
        assert!(set.any_stdout());
        set.write(0, |w| w.write_all(b"to stdout")).expect("write");
        set.commit(&mut out).expect("commit");
        assert_eq!(out, b"to stdout");
        assert!(!Path::new("-").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
