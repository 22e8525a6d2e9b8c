//! Binding for the command line, so `python -m mentorpair` runs exactly the `mentorpair` binary's code.

use pyo3::prelude::*;

use super::threads::run_detached;

/// Run the mentorpair command line with `argv` (`argv[0]` is the program name) and return its exit
/// code. Output goes straight to the process's stdout and stderr; the GIL is released meanwhile.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    run_detached(py, || crate::cli::run(argv))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    Ok(())
}
