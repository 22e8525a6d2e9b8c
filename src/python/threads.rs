//! Running solver work without the GIL, on a rayon pool that is safe to use after `fork()`.
//! rayon's global pool does not survive `fork()`: its threads stay in the parent, so a forked child
//! that queued work on it would wait forever. A child gets its own one-thread pool instead.

use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use rayon::ThreadPool;

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

/// Run `work` with the GIL released, on a rayon pool that is usable in this process.
pub(crate) fn run_detached<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    let pool = child_pool()?;
    Ok(py.detach(move || match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }))
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
