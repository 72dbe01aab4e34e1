"""The Model class: scoring, probabilities, explanations."""
from __future__ import annotations

import os
from typing import Any, Iterable, List, Optional, Union

import numpy as np

from . import _newsprov

PathLike = Union[str, "os.PathLike[str]"]

#: Text read per article, as the CLI's ``--max-bytes`` default (10 MiB); longer texts are cut and
#: their record says ``"truncated": true``.
DEFAULT_MAX_BYTES = 10 << 20


def _texts(texts: Any, what: str = "texts") -> Any:
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{what} must be a sequence of strings, not one string (use score() for one)")
    return texts


class HTML(str):
    """An HTML page (a ``str``) that Jupyter shows inline; ``save(path)`` writes it."""

    def _repr_html_(self) -> str:
        return str(self)

    def save(self, path: PathLike) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self)


class Model:
    """A newsprov model: ``Model()`` is the one built into newsprov, ``Model.load(path)`` a file
    written by ``save`` or ``newsprov train``.

    Scoring gives the same records as ``newsprov score --format jsonl`` (they are built by the same
    library code). A model pickles (as its file bytes), so it works with multiprocessing, joblib
    and Spark.
    """

    __slots__ = ("_rs",)

    def __init__(self) -> None:
        self._rs = _newsprov.Model()

    @classmethod
    def _wrap(cls, rs: "_newsprov.Model") -> "Model":
        m = cls.__new__(cls)
        m._rs = rs
        return m

    @classmethod
    def load(cls, path: PathLike) -> "Model":
        """Loads a model file. ``OSError`` if it cannot be read, ``ValueError`` if it is not a
        usable model (damaged, another format version), with the CLI's message."""
        return cls._wrap(_newsprov.Model.load(os.fspath(path)))

    @classmethod
    def from_bytes(cls, data: bytes) -> "Model":
        """A model from the bytes of a model file (``to_bytes``)."""
        return cls._wrap(_newsprov.Model.from_bytes(bytes(data)))

    def to_bytes(self) -> bytes:
        """The bytes of the model file."""
        return self._rs.to_bytes()

    def save(self, path: PathLike) -> None:
        """Writes the model file atomically (a temporary file beside ``path``, then a rename)."""
        self._rs.save(os.fspath(path))

    def __reduce__(self):
        return (Model.from_bytes, (self.to_bytes(),))

    @property
    def labels(self) -> List[str]:
        """The labels, in the order of ``predict_proba``'s columns."""
        return self._rs.labels

    @property
    def temperature(self) -> float:
        """The calibration temperature (1 for an uncalibrated model)."""
        return self._rs.temperature

    @property
    def n_features(self) -> int:
        return self._rs.n_features

    @property
    def summary(self) -> dict:
        """What training saw: rows per class, dev metrics, calibration (as ``newsprov inspect``)."""
        return self._rs.summary

    def __repr__(self) -> str:
        return f"<newsprov.Model: {self.n_features} features, labels {self.labels}>"

    def score(
        self,
        text: str,
        *,
        id: str = "text",
        min_confidence: float = 0.0,
        sources: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> dict:
        """One article's score record, a dict like a ``newsprov score --format jsonl`` line:
        ``id``, ``label``, ``probabilities`` (per label), ``framing_terms``, ``sources``,
        ``reads_like`` and any field the library adds; on a page of several stories (a digest, a
        newsletter) ``stories``, each story's ``title``, ``label`` and ``probabilities``, whose
        mean is the page's. ``ValueError`` for an empty text.

        ``min_confidence``: below this top probability the label is ``"uncertain"`` and
        ``best_guess`` holds the most likely one. ``sources=False`` leaves out the cited outlets
        (faster)."""
        return self._rs.score(text, id, min_confidence, sources, max_bytes)

    def score_many(
        self,
        texts: Iterable[Any],
        ids: Optional[Iterable[Any]] = None,
        *,
        min_confidence: float = 0.0,
        sources: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> List[dict]:
        """Score records for many articles, in input order. Scoring runs on all cores with the
        GIL released. ``ids`` default to the positions (``"0"``, ``"1"``, ...). An item that
        cannot be scored (empty, ``None``, not a string) gives an error record in its place,
        ``{"id": ..., "error": "empty text"}``; the others are still scored."""
        return self._rs.score_many(_texts(texts), ids, min_confidence, sources, max_bytes)

    def predict_proba(self, texts: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
        """Probabilities as a float64 array of shape ``(n, 3)``, columns in ``model.labels``
        order. ``ValueError`` naming the first text that cannot be scored (``texts[i]: ...``)."""
        raw, n = self._rs.predict_proba_bytes(_texts(texts), max_bytes)
        return np.frombuffer(raw, dtype="<f8").reshape(n, 3).copy()

    def predict(self, texts: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> List[str]:
        """The label of each text (the most likely one), in input order."""
        return self._rs.predict(_texts(texts), max_bytes)

    def explain(self, text: str, top: int = 15) -> dict:
        """Why the article got its label, as ``newsprov explain --json``: ``label``,
        ``probabilities``, ``temperature``, ``bias``, ``toward`` (per label, the features that
        pushed toward it most: ``feature``, ``value``, ``weight``, ``contribution``) and
        ``terms`` (framing terms found, with byte spans); on a page of several stories,
        ``stories``: each story's ``title``, ``credits``, body span and ``explanation``."""
        return self._rs.explain(text, top)

    def explain_html(self, text: str, top: int = 15, title: str = "article") -> HTML:
        """The page of ``newsprov explain --html``: the article with its framing terms
        highlighted and bar charts of the contributions. Shows inline in Jupyter."""
        return HTML(self._rs.explain_html(text, top, title))


def sources(text: str) -> dict:
    """Whom an article cites, as ``newsprov sources --format jsonl`` (without the id):
    ``attributions`` (each with ``kind``, ``name``, ``outlet_type``, ``country``, byte span and
    ``cue``) and a ``summary`` (counts by kind, ``cited_outlets``, ``by_source``)."""
    return _newsprov.sources(text)
