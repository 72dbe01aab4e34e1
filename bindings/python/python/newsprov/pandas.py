"""pandas conventions: ``score_frame(df, text="text")`` adds the model's verdict as columns."""
from __future__ import annotations

from typing import Any, Optional

import pandas as pd

from ._model import DEFAULT_MAX_BYTES, Model

#: The probability columns, in ``Model.labels`` order.
PROBABILITY_COLUMNS = ("p_state_media", "p_wire", "p_aggregator")
#: Every column ``score_frame`` adds (each with ``prefix`` in front).
SCORE_COLUMNS = ("label",) + PROBABILITY_COLUMNS + ("reads_like", "error")

_DEFAULT_MODEL: Optional[Model] = None


def default_model() -> Model:
    """The built-in model, loaded once per process."""
    global _DEFAULT_MODEL
    if _DEFAULT_MODEL is None:
        _DEFAULT_MODEL = Model()
    return _DEFAULT_MODEL


def records_to_columns(records: list, index: Any, prefix: str = "") -> pd.DataFrame:
    """Score records (``Model.score_many``) as the columns ``score_frame`` adds."""
    labels, probs, reads_like, errors = [], {c: [] for c in PROBABILITY_COLUMNS}, [], []
    for r in records:
        p = r.get("probabilities")
        labels.append(r.get("label"))
        for c in PROBABILITY_COLUMNS:
            probs[c].append(float("nan") if p is None else float(p[c[2:]]))
        reads_like.append(list(r.get("reads_like") or []))
        errors.append(r.get("error"))
    cols = {f"{prefix}label": labels}
    cols.update({f"{prefix}{c}": v for c, v in probs.items()})
    cols[f"{prefix}reads_like"] = reads_like
    cols[f"{prefix}error"] = errors
    return pd.DataFrame(cols, index=index)


def score_frame(
    df: pd.DataFrame,
    text: str = "text",
    *,
    model: Optional[Model] = None,
    prefix: str = "",
    min_confidence: float = 0.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    """A copy of ``df`` with the verdict for its ``text`` column added as columns: ``label``,
    ``p_state_media``, ``p_wire``, ``p_aggregator`` (float64), ``reads_like`` (a list per row; empty
    when the model's records have no such field) and ``error`` (why a row could not be scored,
    else None; such a row has no label and NaN probabilities).

    Scoring runs on all cores (``Model.score_many``). ``model`` defaults to the built-in one.
    ``prefix`` goes in front of the added names; a name that is already a column is a
    ``ValueError`` (so a true ``label`` column is never overwritten: pass ``prefix="pred_"``)."""
    if text not in df.columns:
        raise ValueError(f"no column {text!r} (columns: {', '.join(map(str, df.columns))})")
    clash = [f"{prefix}{c}" for c in SCORE_COLUMNS if f"{prefix}{c}" in df.columns]
    if clash:
        raise ValueError(
            f"the DataFrame already has column(s) {', '.join(clash)}; pass prefix= (e.g. prefix=\"pred_\")"
        )
    m = model if model is not None else default_model()
    records = m.score_many(
        df[text], [str(i) for i in df.index], min_confidence=min_confidence, max_bytes=max_bytes
    )
    return pd.concat([df, records_to_columns(records, df.index, prefix)], axis=1)
