"""newsprov.Model: the same records, probabilities and explanations as the CLI."""
import pickle
import threading
import time

import numpy as np
import pytest

import newsprov

from conftest import EXAMPLES, cli_error


def without_id(r):
    return {k: v for k, v in r.items() if k != "id"}


def test_builtin_model_and_labels(model):
    assert model.labels == newsprov.LABELS == ["state_media", "wire", "aggregator"]
    assert model.n_features > 0 and model.temperature > 0
    assert isinstance(model.summary, dict) and "rows_per_class" in model.summary
    assert "features" in repr(model)


def test_score_is_the_cli_record(model, examples, cli_jsonl):
    for path, text in examples[:6]:
        (want,) = cli_jsonl("score", path)
        got = model.score(text, id=str(path))
        assert got == want, path.name


def test_score_many_is_the_cli_output_in_order(model, examples, cli_jsonl):
    want = cli_jsonl("score", *[p for p, _ in examples])
    got = model.score_many([t for _, t in examples], [str(p) for p, _ in examples])
    assert got == want
    # default ids are positions
    assert [r["id"] for r in model.score_many([t for _, t in examples[:3]])] == ["0", "1", "2"]


def test_a_digest_page_is_scored_story_by_story(model, cli_jsonl):
    path = EXAMPLES / "aggregator-inshorts-digest-feed.txt"
    (want,) = cli_jsonl("score", path)
    got = model.score(path.read_text(encoding="utf-8"), id=str(path))
    assert got == want
    stories = got["stories"]
    assert [s["label"] for s in stories] == ["aggregator"] * 3
    for label in newsprov.LABELS:
        mean = sum(s["probabilities"][label] for s in stories) / 3
        assert got["probabilities"][label] == pytest.approx(mean, abs=1e-6)
    e = model.explain(path.read_text(encoding="utf-8"), top=3)
    assert [s["title"] for s in e["stories"]] == [s["title"] for s in stories]
    assert all(len(s["explanation"]["toward"]["aggregator"]) == 3 for s in e["stories"])


def test_score_many_matches_the_cli_field_for_field_on_real_rows(model, small_csv, cli_jsonl):
    """Records are built as Python objects directly, not parsed from JSON: on 300 real rows they
    must still be what `json.loads` gives for the CLI's lines, down to key order and the f64 of
    each f32 as printed."""
    import pandas as pd

    rows = pd.read_csv(small_csv, dtype=str, keep_default_na=False)
    want = cli_jsonl("score", small_csv)
    got = model.score_many(list(rows["text"]), [w["id"] for w in want])
    assert len(got) == len(want) == len(rows)
    for g, w in zip(got, want):
        assert g == w
        assert list(g) == list(w), "same key order"
        assert all(type(g["probabilities"][k]) is float for k in w["probabilities"])
        assert [list(x) for x in g.get("reads_like", [])] == [list(x) for x in w.get("reads_like", [])]


def test_score_options(model, examples, cli_jsonl):
    path, text = examples[0]
    (want,) = cli_jsonl("score", "--min-confidence", "1", "--no-sources", path)
    got = model.score(text, min_confidence=1.0, sources=False)
    assert without_id(got) == without_id(want)
    assert got["label"] == "uncertain" and "best_guess" in got and "sources" not in got
    cut = model.score(text, max_bytes=40)
    assert cut["truncated"] is True
    with pytest.raises(ValueError, match="min_confidence"):
        model.score(text, min_confidence=2.0)


def test_bad_rows_give_error_records_and_the_rest_are_scored(model, examples):
    texts = [examples[0][1], "", "   \n", None, 42, examples[1][1]]
    out = model.score_many(texts)
    assert len(out) == 6
    assert out[0]["label"] in model.labels and out[5]["label"] in model.labels
    assert out[1] == {"id": "1", "error": "empty text"}
    assert out[2] == {"id": "2", "error": "empty text (only whitespace)"}
    assert out[3] == {"id": "3", "error": "missing text (None)"}
    assert out[4] == {"id": "4", "error": "not a string (got int)"}
    with pytest.raises(ValueError, match="^text: empty text$"):
        model.score("")
    with pytest.raises(TypeError):
        model.score_many("one string is not a list of texts")
    with pytest.raises(ValueError, match="more ids than texts"):
        model.score_many(["a text"], ["a", "b"])


def test_predict_proba_and_predict(model, examples):
    texts = [t for _, t in examples]
    p = model.predict_proba(texts)
    assert p.shape == (len(texts), 3) and p.dtype == np.float64
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    records = model.score_many(texts)
    for row, r in zip(p, records):
        assert model.labels[int(np.argmax(row))] == r["label"]
        np.testing.assert_allclose(row, [r["probabilities"][l] for l in model.labels], rtol=1e-6)
    assert model.predict(texts) == [r["label"] for r in records]
    with pytest.raises(ValueError, match=r"^texts\[1\]: empty text$"):
        model.predict_proba([texts[0], ""])


def test_save_load_and_pickle(model, tmp_path, examples):
    path = tmp_path / "m.npm"
    model.save(path)
    again = newsprov.Model.load(path)
    assert again.to_bytes() == model.to_bytes() == path.read_bytes()
    texts = [t for _, t in examples]
    np.testing.assert_array_equal(again.predict_proba(texts), model.predict_proba(texts))
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.predict_proba(texts), model.predict_proba(texts))


def test_file_errors_have_the_cli_messages(tmp_path, cli):
    missing = tmp_path / "nope.npm"
    with pytest.raises(FileNotFoundError) as e:
        newsprov.Model.load(missing)
    assert isinstance(e.value, OSError)
    assert str(e.value) == cli_error(cli("score", "--model", missing, "data/examples", check=False))
    junk = tmp_path / "junk.npm"
    junk.write_bytes(b"not a model at all, just some bytes")
    with pytest.raises(ValueError) as e:
        newsprov.Model.load(junk)
    assert str(e.value) == cli_error(cli("score", "--model", junk, "data/examples", check=False))


def test_explain_is_the_cli_json(model, examples, cli):
    import json

    path, text = examples[2]
    want = json.loads(cli("explain", "--json", path).stdout)
    assert model.explain(text) == want
    short = model.explain(text, top=3)
    assert all(len(v) <= 3 for v in short["toward"].values())


def test_explain_html_shows_inline(model, examples, cli, tmp_path):
    path, text = examples[2]
    page = model.explain_html(text, title=str(path))
    assert isinstance(page, str) and page._repr_html_() == page
    out = tmp_path / "e.html"
    cli("explain", path, "--html", out)
    assert page == out.read_text(encoding="utf-8")
    page.save(tmp_path / "again.html")
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == page


def test_score_many_releases_the_gil(model, dev_frame):
    texts = list(dev_frame["text"]) * 2
    done = threading.Event()
    ticks = 0

    def work():
        model.score_many(texts)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1  # pure Python: runs only while the scoring thread does not hold the GIL
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    # With the GIL held for the whole call, this loop would get (almost) no turns.
    assert elapsed > 0.05 and ticks >= 10, (elapsed, ticks)


def test_sources_is_the_cli_record(examples, cli_jsonl):
    for path, text in examples[:8]:
        (want,) = cli_jsonl("sources", path)
        assert newsprov.sources(text) == without_id(want), path.name
