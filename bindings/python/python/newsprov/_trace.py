"""TraceIndex: which reference article a rewrite came from."""
from __future__ import annotations

import os
from typing import Any, Iterable, List, Optional

from . import _newsprov
from ._model import PathLike, _texts


class TraceIndex:
    """An index over reference articles that answers which of them a text was most likely
    rewritten from (as ``newsprov trace``). Build it from texts with ``TraceIndex.build``, or
    load a file written by ``save`` or ``newsprov trace index``."""

    __slots__ = ("_rs",)

    def __init__(self) -> None:
        raise TypeError("use TraceIndex.build(texts, ids) or TraceIndex.load(path)")

    @classmethod
    def _wrap(cls, rs: "_newsprov.TraceIndex") -> "TraceIndex":
        t = cls.__new__(cls)
        t._rs = rs
        return t

    @classmethod
    def build(cls, texts: Iterable[Any], ids: Optional[Iterable[Any]] = None, *, min_bigram_df: int = 2) -> "TraceIndex":
        """Indexes reference ``texts`` under ``ids`` (default: their positions as strings). A
        reference that cannot be read (empty, not a string) is left out with a warning."""
        return cls._wrap(_newsprov.TraceIndex.build(_texts(texts), ids, min_bigram_df))

    @classmethod
    def load(cls, path: PathLike) -> "TraceIndex":
        """Loads an index file. ``OSError`` if it cannot be read, ``ValueError`` if damaged."""
        return cls._wrap(_newsprov.TraceIndex.load(os.fspath(path)))

    def save(self, path: PathLike) -> None:
        """Writes the index file atomically."""
        self._rs.save(os.fspath(path))

    def __len__(self) -> int:
        return len(self._rs)

    @property
    def ids(self) -> List[str]:
        return self._rs.ids

    @property
    def threshold(self) -> float:
        """Match score a reference needs to count as the source."""
        return self._rs.threshold

    def __repr__(self) -> str:
        return f"<newsprov.TraceIndex: {len(self)} references>"

    def query(self, text: str, k: int = 5) -> dict:
        """The ``newsprov trace --format jsonl`` record for ``text`` (without the id): ``match``
        (whether some reference reaches the threshold), ``matches`` (those that do, best first,
        at most ``k``; each with ``id``, ``score``, ``containment``, ``similarity``, ``bm25``,
        shared ``passages`` and near-copies in ``also``), and when none does, ``message`` and the
        ``closest`` reference."""
        return self._rs.query(text, k)
