//! The pyo3 binding: conversions between numpy/Python objects and the plain Rust API. No logic.
//! One submodule per area; each exposes `register` to add its functions to `mentorpair._core`.

mod beyond;
mod capacitated;
mod cli;
mod csv_out;
mod dask;
mod errors;
mod fairness;
mod lsap;
mod matching;
mod options;
mod problem;
mod programme;
mod quality;
mod rematch;
mod suggest;
mod synthetic;
mod tables;
mod threads;

use pyo3::prelude::*;

/// The compiled core of mentorpair.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    threads::record_import_pid();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    options::register(m)?;
    threads::register(m)?;
    lsap::register(m)?;
    capacitated::register(m)?;
    cli::register(m)?;
    problem::register(m)?;
    csv_out::register(m)?;
    rematch::register(m)?;
    synthetic::register(m)?;
    quality::register(m)?;
    fairness::register(m)?;
    programme::register(m)?;
    beyond::register(m)?;
    dask::register(m)?;
    suggest::register(m)?;
    Ok(())
}

/// The extension's allocator (see Cargo.toml): reading a table allocates a few small strings and
/// vectors per cell on every rayon thread. It applies to whatever links this crate with the
/// `python` feature, which only the extension is meant to turn on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
