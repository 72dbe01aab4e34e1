"""Training and evaluation: newsprov.train, newsprov.evaluate and the Report they give."""
from __future__ import annotations

import html
import os
import tempfile
from typing import Any, Dict, Iterable, Optional

import numpy as np

from . import _newsprov
from ._model import Model, PathLike

#: ``newsprov train``'s options and defaults (``newsprov train --help`` says what each does).
TRAIN_DEFAULTS: Dict[str, Any] = {
    "features": "bow,framing,style,masked,page",
    "style_scale": 0.1,
    "lexicon": None,
    "min_df": 2,
    "max_df": 1.0,
    "max_features": 100_000,
    "solver": "sparse",
    "l2": 0.1,
    "max_iter": 300,
    "tol": 1e-6,
    "seed": 42,
    "class_weight": "none",
    "augment_chrome": 0.3,
    "augment_pages": 0.1,
    "augment_paragraphs": 0.3,
    "outlet_weight": 0.5,
    "masked_buckets": 1 << 15,
    "masked_scale": 1.0,
    "masked_max_n": 2,
    "framing_voice": True,
    "temperature": None,
}


class _Fit:
    """The options as the extension reads them (attributes)."""

    def __init__(self, options: Dict[str, Any]) -> None:
        unknown = sorted(set(options) - set(TRAIN_DEFAULTS))
        if unknown:
            raise TypeError(
                f"unknown training option(s) {', '.join(unknown)} (known: {', '.join(TRAIN_DEFAULTS)})"
            )
        merged = {**TRAIN_DEFAULTS, **options}
        if isinstance(merged["features"], (list, tuple)):
            merged["features"] = ",".join(merged["features"])
        if merged["lexicon"] is not None:
            merged["lexicon"] = os.fspath(merged["lexicon"])
        self.__dict__.update(merged)


def _is_frame(x: Any) -> bool:
    return hasattr(x, "columns") and hasattr(x, "__getitem__") and not isinstance(x, (str, bytes))


def _cells(values: Iterable[Any], name: str, texts: bool) -> list:
    """Column cells for the extension: strings stay and missing values (None, NaN) become None
    (reported by row, as a CSV's would be). A label that is not a string is read as its ``str``
    (so it is reported as an unknown label); a text that is not a string is a ``ValueError``."""
    out = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
        elif isinstance(v, str):
            out.append(v)
        elif texts:
            raise ValueError(f"{name}[{i}]: not a string (got {type(v).__name__})")
        else:
            out.append(str(v))
    return out


def _frame_rows(df: Any, text_column: str, label_column: str, name: str):
    for col in (text_column, label_column):
        if col not in df.columns:
            raise ValueError(
                f"{name}: missing column {col!r} (columns: {', '.join(map(str, df.columns))}); "
                "name another with text_column= / label_column="
            )
    texts = _cells(df[text_column], name, True)
    labels = _cells(df[label_column], name, False)
    ids = [str(x) for x in df["id"]] if "id" in df.columns else None
    return texts, labels, ids


def train(
    data: Any,
    dev: Any = None,
    *,
    text_column: str = "text",
    label_column: str = "label",
    skip_invalid: bool = False,
    **options: Any,
) -> Model:
    """Trains a model, as ``newsprov train``.

    ``data`` is a labeled CSV path (as ``--data``) or a pandas DataFrame with ``text`` and
    ``label`` columns (other names with ``text_column`` / ``label_column``; an ``id`` column is
    used when present). ``dev`` (a path with a path, a DataFrame with a DataFrame) calibrates the
    probabilities and records dev metrics in ``model.summary``. ``options`` are ``newsprov
    train``'s, with its defaults: see ``newsprov.TRAIN_DEFAULTS``. The same data, options and
    seed give the same model bytes as the CLI.

    Bad data raises ``ValueError`` with the CLI's message (``FILE:LINE: problem``, or
    ``data[i]: problem`` for a DataFrame row); ``skip_invalid=True`` (CSV) trains on the good
    rows with a warning. A file that cannot be read raises ``OSError``.
    """
    fit = _Fit(options)
    if _is_frame(data):
        if dev is not None and not _is_frame(dev):
            raise TypeError("with a DataFrame as data, dev must be a DataFrame too")
        texts, labels, ids = _frame_rows(data, text_column, label_column, "data")
        dev_rows = None
        if dev is not None:
            dt, dl, _ = _frame_rows(dev, text_column, label_column, "dev")
            dev_rows = (dt, dl)
        outlets = [str(x) for x in data["outlet"]] if "outlet" in data.columns else None
        return Model._wrap(_newsprov.train_rows(texts, labels, ids, dev_rows, fit, "data", outlets))
    if isinstance(data, (str, os.PathLike)):
        if dev is not None and not isinstance(dev, (str, os.PathLike)):
            raise TypeError("with a CSV path as data, dev must be a path too")
        dev_path = None if dev is None else os.fspath(dev)
        return Model._wrap(
            _newsprov.train_csv(os.fspath(data), dev_path, fit, text_column, label_column, skip_invalid)
        )
    raise TypeError(f"data must be a CSV path or a pandas DataFrame, not {type(data).__name__}")


class SVG(str):
    """An SVG image (a ``str``) that Jupyter shows inline; ``save(path)`` writes it."""

    def _repr_svg_(self) -> str:
        return str(self)

    def save(self, path: PathLike) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self)


class Report:
    """An evaluation: the confusion matrix (``matrix[true][predicted]``, in ``labels`` order),
    ``accuracy``, ``macro_f1``, ``per_class`` (precision, recall, f1, support) and ``n``: the
    report of ``newsprov evaluate --report``."""

    def __init__(self, report: Dict[str, Any]) -> None:
        self._report = report
        self.labels = list(report["labels"])
        self.matrix = np.array(report["matrix"], dtype=np.int64)
        self.accuracy = float(report["accuracy"])
        self.macro_f1 = float(report["macro_f1"])
        self.per_class = dict(report["per_class"])
        self.n = int(report["n"])

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form ``newsprov evaluate --report`` writes."""
        return dict(self._report)

    def save(self, path: PathLike) -> None:
        """Writes the confusion matrix in the format the extension names: ``.csv``, ``.json``,
        ``.md``, ``.svg`` or ``.png`` (as ``newsprov evaluate --confusion PATH``)."""
        _newsprov.write_confusion(self.matrix.tolist(), os.fspath(path), self._report.get("name"))

    def to_png(self, path: PathLike) -> None:
        """Writes the confusion-matrix heatmap (counts in the cells) as a PNG."""
        path = os.fspath(path)
        if path.lower().endswith(".png"):
            self.save(path)
            return
        with tempfile.TemporaryDirectory() as d:
            tmp = os.path.join(d, "confusion.png")
            self.save(tmp)
            with open(tmp, "rb") as src, open(path, "wb") as dst:
                dst.write(src.read())

    def plot(self) -> SVG:
        """The confusion-matrix heatmap as SVG (the same drawing as ``to_png``); shows inline in
        Jupyter, and ``.save(path)`` writes it."""
        with tempfile.TemporaryDirectory() as d:
            tmp = os.path.join(d, "confusion.svg")
            self.save(tmp)
            with open(tmp, encoding="utf-8") as f:
                return SVG(f.read())

    def __repr__(self) -> str:
        width = max(len(l) for l in self.labels) + 2
        lines = [f"newsprov.Report: n={self.n} accuracy={self.accuracy:.4f} macro_f1={self.macro_f1:.4f}",
                 "confusion matrix (rows = true label, columns = predicted)",
                 " " * width + "".join(f"{l:>{width}}" for l in self.labels)]
        for l, row in zip(self.labels, self.matrix):
            lines.append(f"{l:<{width}}" + "".join(f"{v:>{width}}" for v in row))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(l)}</th>" for l in self.labels)
        rows = "".join(
            f"<tr><th>{html.escape(l)}</th>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
            for l, row in zip(self.labels, self.matrix)
        )
        return (
            f"<p>n={self.n}, accuracy {self.accuracy:.4f}, macro-F1 {self.macro_f1:.4f}</p>"
            f"<table><tr><th>true \\ predicted</th>{head}</tr>{rows}</table>"
        )


def evaluate(model: Model, texts: Iterable[Any], labels: Iterable[Any], name: str = "texts") -> Report:
    """Scores ``texts`` and compares with ``labels`` (names or aliases, as in a training CSV):
    the report of ``newsprov evaluate``; ``name`` says what was evaluated (the heatmap's title
    names it). ``ValueError`` for an unknown label or empty text (``texts[i]: problem``)."""
    texts = list(texts)
    labels = list(labels)
    return Report(
        _newsprov.evaluate(model._rs, _cells(texts, "texts", True), _cells(labels, "texts", False), name)
    )
