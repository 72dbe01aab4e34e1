"""Spark: ``score(df, text_col="text")`` runs newsprov in every executor through Arrow
(``mapInPandas``), the model loaded once per Python worker process.

Every executor needs ``newsprov`` installed (``pip install`` the wheel there, or ship it with
``--py-files``/an environment archive); nothing else changes between ``local[2]`` and a cluster.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Dict, Iterator, Optional

from ._model import Model
from .pandas import PROBABILITY_COLUMNS, SCORE_COLUMNS, default_model, records_to_columns

#: Models loaded in this process, by key ("builtin" or the sha256 of the model bytes).
_MODELS: Dict[str, Model] = {}
#: How many times this process loaded a model, by key (a test checks it stays at one).
LOADS: Dict[str, int] = {}


def _worker_model(key: str, payload: Any) -> Model:
    """The model for ``key``, loaded on first use in this process and kept."""
    m = _MODELS.get(key)
    if m is None:
        if payload is None:
            m = default_model()
        else:
            m = Model.from_bytes(payload.value)  # a Spark broadcast of the model bytes
        _MODELS[key] = m
        LOADS[key] = LOADS.get(key, 0) + 1
    return m


def _json_cells(values: list) -> list:
    """``reads_like`` as an array of strings (an item that is not a string is its JSON)."""
    return [[x if isinstance(x, str) else json.dumps(x, sort_keys=True) for x in v] for v in values]


def output_schema(schema: Any, prefix: str = "") -> Any:
    """``schema`` with the columns ``score`` adds."""
    from pyspark.sql.types import ArrayType, DoubleType, StringType, StructField, StructType

    fields = list(schema.fields)
    fields.append(StructField(f"{prefix}label", StringType(), True))
    fields.extend(StructField(f"{prefix}{c}", DoubleType(), True) for c in PROBABILITY_COLUMNS)
    fields.append(StructField(f"{prefix}reads_like", ArrayType(StringType(), True), True))
    fields.append(StructField(f"{prefix}error", StringType(), True))
    return StructType(fields)


def score(
    df: Any,
    text_col: str = "text",
    *,
    model: Optional[Model] = None,
    prefix: str = "",
    min_confidence: float = 0.0,
) -> Any:
    """``df`` with the columns of ``newsprov.pandas.score_frame`` added: ``label``,
    ``p_state_media``, ``p_wire``, ``p_aggregator``, ``reads_like`` (array of strings) and
    ``error`` (why a row could not be scored, else null). Lazy, like any Spark transformation.

    ``model`` (default: the built-in one) is sent to the executors once as a broadcast and
    loaded once per Python worker process; each Arrow batch is scored on all the worker's
    cores. ``prefix`` goes in front of the added names; a name already in ``df`` is a
    ``ValueError`` (pass ``prefix="pred_"`` to keep a true ``label`` column)."""
    if text_col not in df.columns:
        raise ValueError(f"no column {text_col!r} (columns: {', '.join(df.columns)})")
    clash = [f"{prefix}{c}" for c in SCORE_COLUMNS if f"{prefix}{c}" in df.columns]
    if clash:
        raise ValueError(
            f"the DataFrame already has column(s) {', '.join(clash)}; pass prefix= (e.g. prefix=\"pred_\")"
        )
    if model is None:
        key, payload = "builtin", None
    else:
        data = model.to_bytes()
        key = hashlib.sha256(data).hexdigest()
        payload = df.sparkSession.sparkContext.broadcast(data)
    schema = output_schema(df.schema, prefix)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        m = _worker_model(key, payload)
        for pdf in batches:
            records = m.score_many(pdf[text_col], min_confidence=min_confidence)
            cols = records_to_columns(records, pdf.index, prefix)
            cols[f"{prefix}reads_like"] = _json_cells(list(cols[f"{prefix}reads_like"]))
            yield pd.concat([pdf, cols], axis=1)

    return df.mapInPandas(run, schema)


def worker_loads(spark: Any, partitions: int = 8) -> list:
    """``(pid, {key: loads})`` from the Python workers that answer a small job: how many times
    each loaded a model (for checking that it is once per process)."""
    import pandas as pd
    from pyspark.sql.types import StringType, StructField, StructType

    def probe(batches):
        # Imported here: a module global named in this closure would be pickled by value.
        from newsprov import spark as this

        for _ in batches:
            pass
        yield pd.DataFrame({"pid": [str(os.getpid())], "loads": [json.dumps(this.LOADS)]})

    schema = StructType([StructField("pid", StringType()), StructField("loads", StringType())])
    rows = spark.range(partitions, numPartitions=partitions).mapInPandas(probe, schema).collect()
    return [(r.pid, json.loads(r.loads)) for r in rows]
