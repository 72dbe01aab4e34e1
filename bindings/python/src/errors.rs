//! The library's errors as Python exceptions, with the CLI's messages: bad data (an input's file,
//! line and problem; bad options; an unusable model file) is `ValueError`, a file that cannot be
//! read or written is `OSError` (its subclass for the cause), and newsprov's own failures are
//! `RuntimeError`.
use pyo3::PyErr;
use pyo3::exceptions::{
    PyFileExistsError, PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyPermissionError,
    PyRuntimeError, PyValueError,
};

pub fn to_py(e: newsprov::Error) -> PyErr {
    use newsprov::Error;
    let message = e.to_string();
    match &e {
        Error::Input { .. } | Error::Usage(_) | Error::Model { .. } => PyValueError::new_err(message),
        Error::Io { source, .. } => match source.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
            std::io::ErrorKind::IsADirectory => PyIsADirectoryError::new_err(message),
            std::io::ErrorKind::AlreadyExists => PyFileExistsError::new_err(message),
            // Bytes that are not what the file should hold are bad data, not a file problem.
            std::io::ErrorKind::InvalidData => PyValueError::new_err(message),
            _ => PyOSError::new_err(message),
        },
        Error::Internal(_) => PyRuntimeError::new_err(message),
    }
}

/// `?` on a library result inside a binding.
pub trait IntoPy<T> {
    fn py_err(self) -> pyo3::PyResult<T>;
}

impl<T> IntoPy<T> for newsprov::Result<T> {
    fn py_err(self) -> pyo3::PyResult<T> {
        self.map_err(to_py)
    }
}
