#!/usr/bin/env python3
"""In-process scoring speed of the Python bindings beside scikit-learn, fastText and the Rust
library itself, on the same texts and machine; optionally Spark local[2].

    python3 bench/python_throughput.py [--dev DEV.csv] [--train TRAIN.csv] [--repeat 5]
                                       [--no-peers] [--no-rust] [--spark] [--model M.npm]

Defaults: ../shared/corpus2/{dev,train}.csv. Needs the newsprov package installed (README,
Python section), and for the peers `pip install scikit-learn fasttext-wheel`.

Every figure is texts already in memory, timed inside one process (no start-up, no reading):
- newsprov: `Model.score_many(texts)` (records as dicts, with and without sources) and
  `Model.predict_proba(texts)` (numpy), best and median of --repeat runs after a warm-up;
- the peers as ../shared/bench/peers.py times them: scikit-learn TF-IDF (1-2 grams) + logistic
  regression `clf.predict(vec.transform(X))`, and fastText `m.f.predict(line, 1, 0.0, "strict")`
  per text, both trained on TRAIN first;
- Rust: `cargo run --profile dist --example inprocess_score -- DEV` (the wheel's profile) (predict_many and score records),
  run just before and just after the Python figures (the ratios use the mean of the two);
- Spark (--spark): `newsprov.spark.score(df)` on local[2] over a cached DataFrame, forced with a
  `noop` write, best of 3.
Compare ratios measured in one run, not figures from different runs: the machine is shared.
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
csv.field_size_limit(1 << 30)


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def timed(fn, repeat):
    fn()  # warm-up
    secs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        secs.append(time.perf_counter() - t)
    return min(secs), statistics.median(secs)


def line(name, best, median, mb):
    print(f"{name:<40} best {best:.4f}s ({mb / best:6.1f} MB/s)  median {median:.4f}s ({mb / median:6.1f} MB/s)")
    return mb / best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", default=str(ROOT.parent / "shared/corpus2/dev.csv"))
    ap.add_argument("--train", default=str(ROOT.parent / "shared/corpus2/train.csv"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--no-rust", action="store_true")
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--model", help="a model file to time instead of the built-in model (the Rust figures "
                    "always use the built-in one: pass --no-rust with this)")
    a = ap.parse_args()

    import newsprov

    texts, _ = read(a.dev)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"{a.dev}: {len(texts)} texts, {mb:.2f} MB; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    model = newsprov.Model.load(a.model) if a.model else newsprov.Model()
    if a.model:
        print(f"model: {a.model}")
    rates = {}

    def rust():
        """The Rust example's best MB/s per figure (run before and after Python's, since the
        machine's load drifts; the ratios use the mean of the two)."""
        out = subprocess.run(
            [str(ROOT / "target/dist/examples/inprocess_score"), a.dev, str(a.repeat)],
            capture_output=True, text=True, check=True,
        ).stdout
        print(out, end="")
        got = {}
        for name, key in (("predict_many", "rust_predict_many"), ("score records ", "rust_records")):
            m = re.search(rf"rust {re.escape(name)}\s.*?best [\d.]+s \(([\d.]+) MB/s\)", out)
            if m:
                got[key] = float(m.group(1))
        return got

    before = {}
    if not a.no_rust:
        subprocess.run(["cargo", "build", "--profile", "dist", "--quiet", "--example", "inprocess_score"], cwd=ROOT, check=True)
        before = rust()
    rates["score_many"] = line("newsprov score_many (records)", *timed(lambda: model.score_many(texts), a.repeat), mb)
    line("newsprov score_many (sources=False)", *timed(lambda: model.score_many(texts, sources=False), a.repeat), mb)
    rates["predict_proba"] = line("newsprov predict_proba (numpy)", *timed(lambda: model.predict_proba(texts), a.repeat), mb)
    if not a.no_rust:
        after = rust()
        for k in before:
            rates[k] = (before[k] + after.get(k, before[k])) / 2

    if not a.no_peers:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        Xtr, ytr = read(a.train)
        t = time.perf_counter()
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=200000, sublinear_tf=True)
        clf = LogisticRegression(C=10, max_iter=1000).fit(vec.fit_transform(Xtr), ytr)
        print(f"(scikit-learn trained in {time.perf_counter() - t:.1f}s)")
        rates["sklearn"] = line("scikit-learn predict", *timed(lambda: clf.predict(vec.transform(texts)), a.repeat), mb)
        try:
            import tempfile

            import fasttext

            def ft_line(x):
                return re.sub(r"\s+", " ", x.lower()).strip()

            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                for x, y in zip(Xtr, ytr):
                    f.write(f"__label__{y} {ft_line(x)}\n")
            t = time.perf_counter()
            ft = fasttext.train_supervised(f.name, epoch=10, wordNgrams=2, lr=0.5, verbose=0, thread=2)
            os.unlink(f.name)
            print(f"(fastText trained in {time.perf_counter() - t:.1f}s)")
            rates["fasttext"] = line(
                "fastText predict",
                *timed(lambda: [ft.f.predict(ft_line(x), 1, 0.0, "strict") for x in texts], a.repeat),
                mb,
            )
        except ImportError:
            print("fastText not installed (pip install fasttext-wheel): skipped")

    if a.spark:
        from pyspark.sql import SparkSession

        import newsprov.spark
        import pandas as pd

        spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.createDataFrame(pd.DataFrame({"text": texts})).repartition(4).cache()
        df.count()

        def run():
            newsprov.spark.score(df).write.format("noop").mode("overwrite").save()

        rates["spark"] = line("spark local[2] newsprov.spark.score", *timed(run, 3), mb)
        spark.stop()

    print()
    for ours in ("score_many", "predict_proba"):
        for peer in ("sklearn", "fasttext", "rust_predict_many", "rust_records"):
            if peer in rates:
                print(f"{ours} / {peer}: {rates[ours] / rates[peer]:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
