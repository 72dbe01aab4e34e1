"""newsprov.pandas.score_frame: the verdict as columns, row for row."""
import math

import numpy as np
import pandas as pd
import pytest

import newsprov
from newsprov.pandas import score_frame


def test_score_frame_adds_the_columns(model, examples):
    df = pd.DataFrame({"id": [p.name for p, _ in examples], "text": [t for _, t in examples]}, index=range(10, 10 + len(examples)))
    out = score_frame(df)
    assert list(out.columns) == ["id", "text", "label", "p_state_media", "p_wire", "p_aggregator", "reads_like", "error"]
    assert list(out.index) == list(df.index)
    records = model.score_many(df["text"])
    assert list(out["label"]) == [r["label"] for r in records]
    for c in ("p_state_media", "p_wire", "p_aggregator"):
        assert out[c].dtype == np.float64
        np.testing.assert_array_equal(out[c], [r["probabilities"][c[2:]] for r in records])
    # reads_like: the record's list when it has the field, an empty list otherwise
    assert list(out["reads_like"]) == [list(r.get("reads_like", [])) for r in records]
    assert all(isinstance(v, list) for v in out["reads_like"])
    assert out["error"].isna().all()
    assert "label" not in df.columns  # the input is not changed


def test_bad_rows_have_an_error_and_no_label(model):
    df = pd.DataFrame({"text": ["The ministry said on Tuesday that talks would resume.", "", None, float("nan"), 7]}, dtype=object)
    out = score_frame(df, model=model)
    assert out["label"].iloc[0] in model.labels
    assert out["label"].iloc[1:].isna().all()
    assert list(out["error"].iloc[1:]) == ["empty text", "missing text (None)", "missing text (NaN)", "not a string (got int)"]
    assert math.isnan(out["p_wire"].iloc[1])


def test_names_and_clashes(examples):
    df = pd.DataFrame({"body": [t for _, t in examples[:3]], "label": ["wire"] * 3})
    with pytest.raises(ValueError, match="no column 'text'"):
        score_frame(df)
    with pytest.raises(ValueError, match="already has column.*label.*prefix"):
        score_frame(df, text="body")
    out = score_frame(df, text="body", prefix="pred_")
    assert {"label", "pred_label", "pred_p_wire", "pred_reads_like"} <= set(out.columns)
    assert list(out["label"]) == ["wire"] * 3
