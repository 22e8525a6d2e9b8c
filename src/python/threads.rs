//! Running solver work without the GIL, interruptible by Ctrl-C, on a rayon pool that is safe to use after `fork()`.
//! rayon's global pool does not survive `fork()`: its threads stay in the parent, so a forked child
//! that queued work on it would wait forever. A child gets its own one-thread pool instead.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use rayon::ThreadPool;

use crate::cancel::{self, Cancel};

/// The id of the process that imported `_core`; any other id means we run in a forked child.
static IMPORT_PID: OnceLock<u32> = OnceLock::new();

/// The one-thread pool of the current forked child, tagged with that child's id (a grandchild
/// inherits its parent's entry but not its thread, so the tag tells it to build its own).
static CHILD_POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);

/// Remember the importing process; call once from the module initialiser.
pub(super) fn record_import_pid() {
    IMPORT_PID.get_or_init(std::process::id);
}

fn in_forked_child() -> bool {
    IMPORT_PID
        .get()
        .is_some_and(|&pid| pid != std::process::id())
}

/// The pool to run on: `None` for rayon's global pool, or the forked child's own pool.
fn child_pool() -> PyResult<Option<Arc<ThreadPool>>> {
    if !in_forked_child() {
        return Ok(None);
    }
    let pid = std::process::id();
    let mut slot = CHILD_POOL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((owner, pool)) = slot.as_ref() {
        if *owner == pid {
            return Ok(Some(Arc::clone(pool)));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "mentorpair-forked".to_owned())
        .build()
        .map_err(|e| {
            PyRuntimeError::new_err(format!(
                "could not start a solver thread in this forked process: {e}"
            ))
        })?;
    let pool = Arc::new(pool);
    // The inherited pool's worker thread does not exist in this process: never drop (join) it.
    if let Some(stale) = slot.replace((pid, Arc::clone(&pool))) {
        std::mem::forget(stale);
    }
    Ok(Some(pool))
}

/// How often a thread waiting for detached work looks for a pending signal (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Run `work` with the GIL released, on a rayon pool that is usable in this process, and keep
/// it interruptible: the work runs on its own thread under a fresh [`Cancel`] token (its
/// [`cancel::current`]), while the calling thread wakes every [`SIGNAL_POLL`], takes the GIL just
/// long enough to run Python's signal handlers, and on an exception (a `KeyboardInterrupt`)
/// cancels the token, waits for the work to stop at its next check and raises that exception.
/// The result of interrupted work is dropped, so nothing half-done reaches the caller.
pub(crate) fn run_detached<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    let pool = child_pool()?;
    let token = Cancel::new();
    let outcome = py.detach(|| {
        std::thread::scope(|scope| {
            let (done_tx, done_rx) = mpsc::channel::<()>();
            let worker_token = token.clone();
            let handle = std::thread::Builder::new()
                .name("mentorpair-work".to_owned())
                .spawn_scoped(scope, move || {
                    let run = move || cancel::with(worker_token, work);
                    let out = match pool {
                        Some(pool) => pool.install(run),
                        None => run(),
                    };
                    // The receiver may be gone only if the caller stopped waiting, which it never
                    // does before joining.
                    let _ = done_tx.send(());
                    out
                });
            let handle = match handle {
                Ok(h) => h,
                Err(e) => {
                    return Err(PyRuntimeError::new_err(format!(
                        "could not start a solver thread: {e}"
                    )))
                }
            };
            let mut interrupt: Option<PyErr> = None;
            loop {
                match done_rx.recv_timeout(SIGNAL_POLL) {
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => {
                        if interrupt.is_none() {
                            if let Err(e) = Python::attach(|py| py.check_signals()) {
                                token.cancel();
                                interrupt = Some(e);
                            }
                        }
                    }
                }
            }
            let out = match handle.join() {
                Ok(out) => out,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            match interrupt {
                Some(e) => Err(e),
                None => Ok(out),
            }
        })
    });
    outcome
}

/// Number of threads a solve started now would use: rayon's global pool size in the importing
/// process, 1 in a forked child. Runs a parallel no-op on that pool, so the pool is started.
#[pyfunction]
fn _solver_threads(py: Python<'_>) -> PyResult<usize> {
    run_detached(py, || {
        rayon::broadcast(|ctx| ctx.num_threads())
            .into_iter()
            .max()
            .unwrap_or(1)
    })
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_solver_threads, m)?)?;
    Ok(())
}
