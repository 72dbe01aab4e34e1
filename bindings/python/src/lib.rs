//! `newsprov._newsprov`: the Python extension. A thin layer over the `newsprov` library: it turns
//! Python values into the library's inputs and the library's records into Python objects, and
//! does no scoring of its own. The friendly API (numpy, pandas, scikit-learn, Spark) is the
//! Python package around it (`python/newsprov/`).
use pyo3::prelude::*;

mod convert;
mod errors;
mod model;
mod pyser;
mod trace;
mod train;

/// The same allocator as the `newsprov` binary: scoring allocates many small per-document
/// buffers on every core, where glibc's malloc and its fresh-page faults cost several percent.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn _newsprov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("LABELS", newsprov::Label::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>())?;
    m.add_class::<model::Model>()?;
    m.add_class::<trace::TraceIndex>()?;
    m.add_function(wrap_pyfunction!(model::sources, m)?)?;
    m.add_function(wrap_pyfunction!(train::train_csv, m)?)?;
    m.add_function(wrap_pyfunction!(train::train_rows, m)?)?;
    m.add_function(wrap_pyfunction!(train::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(train::write_confusion, m)?)?;
    Ok(())
}
