//! A serde `Serializer` that builds Python objects directly: the objects `json.loads` would give
//! for the record's JSON line (`score --format jsonl`), without writing and parsing the text.
//! Same fields in the same order and the same omissions (serde's own `skip_serializing_if`
//! decides those). Numbers match too: an f32 becomes the f64 nearest to its shortest decimal
//! form (what the CLI prints and `json.loads` reads back), a non-finite float becomes None
//! (JSON's null), and map keys become strings as in JSON.
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::ser::{self, Serialize};

/// The Python object for a serializable value.
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySerializer { py }).map_err(|e| e.0)
}

/// Carries a `PyErr` through serde's error type.
pub struct Error(PyErr);

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        Error(PyValueError::new_err(format!("encoding a record: {msg}")))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

type Res<'py> = Result<Bound<'py, PyAny>, Error>;

#[derive(Clone, Copy)]
struct PySerializer<'py> {
    py: Python<'py>,
}

impl<'py> PySerializer<'py> {
    fn obj<T: IntoPyObject<'py>>(self, v: T) -> Res<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }

    fn float(self, v: f64) -> Res<'py> {
        if v.is_finite() { self.obj(v) } else { Ok(self.py.None().into_bound(self.py)) }
    }

    /// `{variant: value}`, as serde_json writes an enum variant with data.
    fn tagged(self, variant: &str, value: Bound<'py, PyAny>) -> Res<'py> {
        let d = PyDict::new(self.py);
        d.set_item(variant, value)?;
        Ok(d.into_any())
    }
}

/// A JSON object key: JSON keys are strings, so numbers and booleans are written out.
fn key_string<'py>(key: Bound<'py, PyAny>) -> Res<'py> {
    if key.is_instance_of::<PyString>() {
        return Ok(key);
    }
    let text = if let Ok(b) = key.extract::<bool>() {
        if b { "true".to_string() } else { "false".to_string() }
    } else {
        key.str()?.to_string()
    };
    Ok(PyString::new(key.py(), &text).into_any())
}

pub struct Seq<'py> {
    ser: PySerializer<'py>,
    items: Vec<Bound<'py, PyAny>>,
    /// For a tuple variant: the variant's name.
    variant: Option<&'static str>,
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.items.push(v.serialize(self.ser)?);
        Ok(())
    }

    fn finish(self) -> Res<'py> {
        let list = PyList::new(self.ser.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.ser.tagged(v, list),
            None => Ok(list),
        }
    }
}

pub struct Map<'py> {
    ser: PySerializer<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    /// For a struct variant: the variant's name.
    variant: Option<&'static str>,
}

/// The Python string of a struct field's name, made once: a record list repeats the same few
/// names thousands of times (as `json.loads` memoizes its keys).
fn field_name<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    /// Keyed by address and length: a `&'static str` is never freed or changed.
    type Names = Vec<((usize, usize), Py<PyString>)>;
    thread_local! {
        static NAMES: std::cell::RefCell<Names> = const { std::cell::RefCell::new(Vec::new()) };
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        let key = (name.as_ptr() as usize, name.len());
        if let Some((_, s)) = names.iter().find(|(k, _)| *k == key) {
            return s.bind(py).clone();
        }
        let s = PyString::intern(py, name);
        names.push((key, s.clone().unbind()));
        s
    })
}

impl<'py> Map<'py> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, v: &T) -> Result<(), Error> {
        self.dict.set_item(field_name(self.ser.py, name), v.serialize(self.ser)?)?;
        Ok(())
    }

    fn finish(self) -> Res<'py> {
        match self.variant {
            Some(v) => self.ser.tagged(v, self.dict.into_any()),
            None => Ok(self.dict.into_any()),
        }
    }
}

impl<'py> ser::Serializer for PySerializer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Map<'py>;
    type SerializeStructVariant = Map<'py>;

    fn serialize_bool(self, v: bool) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_i8(self, v: i8) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_i128(self, v: i128) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_u128(self, v: u128) -> Res<'py> {
        self.obj(v)
    }
    fn serialize_f32(self, v: f32) -> Res<'py> {
        if !v.is_finite() {
            return self.float(f64::NAN);
        }
        // The decimal serde_json prints for this f32 (the shortest that reads back as it),
        // read as the nearest f64: as `json.loads` reads the CLI's line.
        thread_local! {
            static TEXT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let shortest = TEXT.with(|t| -> Result<f64, Error> {
            let mut t = t.borrow_mut();
            t.clear();
            serde_json::to_writer(&mut *t, &v).map_err(<Error as ser::Error>::custom)?;
            let text = std::str::from_utf8(&t).map_err(<Error as ser::Error>::custom)?;
            text.parse().map_err(<Error as ser::Error>::custom)
        })?;
        self.float(shortest)
    }
    fn serialize_f64(self, v: f64) -> Res<'py> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Res<'py> {
        self.obj(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Res<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<'py> {
        // serde_json writes bytes as an array of numbers
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Res<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<'py> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res<'py> {
        Ok(field_name(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res<'py> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Res<'py> {
        let inner = v.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py>, Error> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len), variant: Some(variant) })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'py>, Error> {
        Ok(Map { ser: self, dict: PyDict::new(self.py), key: None, variant: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Map<'py>, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Map<'py>, Error> {
        Ok(Map { ser: self, dict: PyDict::new(self.py), key: None, variant: Some(variant) })
    }
}

/// The element-wise compound serializers differ only in the trait and the method's name.
macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<'py> ser::$trait for Seq<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                self.push(v)
            }
            fn end(self) -> Res<'py> {
                self.finish()
            }
        }
    )*};
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! struct_impl {
    ($($trait:ident),*) => {$(
        impl<'py> ser::$trait for Map<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, v: &T) -> Result<(), Error> {
                self.field(name, v)
            }
            fn end(self) -> Res<'py> {
                self.finish()
            }
        }
    )*};
}

struct_impl!(SerializeStruct, SerializeStructVariant);

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.key = Some(key_string(k.serialize(self.ser)?)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key =
            self.key.take().ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        self.dict.set_item(key, v.serialize(self.ser)?)?;
        Ok(())
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}
