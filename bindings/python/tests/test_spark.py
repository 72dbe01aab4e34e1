"""newsprov.spark.score on local[2]: the labels of the CLI on corpus2's dev.csv, the model loaded
once per Python worker process. Needs pyspark and Java 17 (`.ci/run` installs them)."""
import json
import time

import pytest

from conftest import DEV_CSV

import pyspark  # noqa: F401  (required: CI installs it; a missing pyspark is a failure, not a skip)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("newsprov-test")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_spark_scores_dev_csv_like_the_cli(spark, dev_frame, cli):
    import newsprov.spark

    cli_labels = {}
    for line in cli("score", "--format", "jsonl", DEV_CSV).stdout.splitlines():
        r = json.loads(line)
        cli_labels[r["id"]] = r["label"]  # the CLI trims ids
    frame = dev_frame.rename(columns={"label": "true_label"})
    df = spark.createDataFrame(frame).repartition(8)
    start = time.perf_counter()
    scored = newsprov.spark.score(df, "text").select(
        "id", "true_label", "label", "p_state_media", "p_wire", "p_aggregator", "reads_like", "error"
    ).toPandas()
    took = time.perf_counter() - start
    mb = frame["text"].str.len().sum() / 1e6
    print(f"\nspark local[2]: {len(scored)} rows, {mb:.2f} M chars in {took:.2f}s "
          f"({len(scored) / took:.0f} rows/s, {mb / took:.2f} M chars/s)")
    assert len(scored) == len(frame) == len(cli_labels)
    assert scored["error"].isna().all()
    ours = dict(zip(scored["id"].str.strip(), scored["label"]))
    differ = [i for i in cli_labels if ours[i] != cli_labels[i]]
    assert not differ, f"{len(differ)} labels differ from the CLI, e.g. {differ[:5]}"
    probs = scored[["p_state_media", "p_wire", "p_aggregator"]].sum(axis=1)
    assert ((probs - 1).abs() < 1e-5).all()
    assert all(isinstance(list(v), list) for v in scored["reads_like"])
    accuracy = (scored["label"] == scored["true_label"]).mean()
    assert accuracy > 0.8


def test_model_is_loaded_once_per_worker_process(spark, dev_frame):
    import newsprov
    import newsprov.spark

    frame = dev_frame[["id", "text"]].head(400)
    df = spark.createDataFrame(frame).repartition(8)
    model = newsprov.train(dev_frame.iloc[::9].head(200), max_iter=20)
    scored = newsprov.spark.score(df, "text", model=model).toPandas()
    assert list(scored["label"]) == [r["label"] for r in model.score_many(scored["text"])]
    loads = newsprov.spark.worker_loads(spark)
    assert loads, "no worker answered"
    for pid, counts in loads:
        assert all(n == 1 for n in counts.values()), (pid, counts)
    # some worker that scored loaded the trained model (by its hash), and only once
    assert any(len(k) == 64 for _, c in loads for k in c)


def test_errors_and_column_clashes(spark):
    import newsprov.spark

    df = spark.createDataFrame([("a", "The ministry said on Tuesday that talks would resume."), ("b", ""), ("c", None)], "id string, text string")
    out = {r.id: r for r in newsprov.spark.score(df).collect()}
    assert out["a"].label in ("state_media", "wire", "aggregator") and out["a"].error is None
    assert out["b"].label is None and out["b"].error == "empty text"
    assert out["c"].label is None and out["c"].error.startswith("missing text")
    with pytest.raises(ValueError, match="no column 'body'"):
        newsprov.spark.score(df, "body")
    labeled = df.withColumnRenamed("id", "label")
    with pytest.raises(ValueError, match="prefix"):
        newsprov.spark.score(labeled)
    assert "pred_label" in newsprov.spark.score(labeled, prefix="pred_").columns
