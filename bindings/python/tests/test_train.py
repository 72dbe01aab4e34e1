"""newsprov.train and newsprov.evaluate: the CLI's models, reports and error messages."""
import json

import numpy as np
import pandas as pd
import pytest

import newsprov

from conftest import DEV_CSV, cli_error

FAST = {"max_iter": 40}


def test_train_csv_gives_the_cli_model_bytes(small_csv, cli, tmp_path):
    out = tmp_path / "cli.npm"
    cli("train", "--data", small_csv, "--max-iter", "40", "--min-df", "3", "--out", out)
    model = newsprov.train(small_csv, min_df=3, **FAST)
    assert model.to_bytes() == out.read_bytes()


def test_train_with_dev_calibrates_and_reports(small_csv, tmp_path):
    model = newsprov.train(small_csv, dev=small_csv, **FAST)
    assert model.summary["dev"]["n"] == 300
    assert model.summary["calibration"]["temperature"] == pytest.approx(model.temperature)


def test_train_dataframe_matches_csv_training(small_csv, examples):
    df = pd.read_csv(small_csv, dtype=str, keep_default_na=False)
    from_frame = newsprov.train(df, **FAST)
    from_csv = newsprov.train(small_csv, **FAST)
    texts = [t for _, t in examples]
    np.testing.assert_array_equal(from_frame.predict_proba(texts), from_csv.predict_proba(texts))
    assert from_frame.summary["train_file"] == "(data)"
    renamed = df.rename(columns={"text": "body", "label": "y"})
    again = newsprov.train(renamed, text_column="body", label_column="y", **FAST)
    np.testing.assert_array_equal(again.predict_proba(texts), from_csv.predict_proba(texts))


def test_training_options_are_checked(small_csv):
    with pytest.raises(TypeError, match="unknown training option"):
        newsprov.train(small_csv, learning_rate=3)
    with pytest.raises(ValueError, match="unknown feature block"):
        newsprov.train(small_csv, features="bow,colour")
    with pytest.raises(ValueError, match="augment-chrome"):
        newsprov.train(small_csv, augment_chrome=2.0)
    with pytest.raises(TypeError):
        newsprov.train(42)


def test_bad_data_has_the_cli_messages(tmp_path, cli):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,label,text\na,wire,fine text here\nb,opinion,another text\n", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        newsprov.train(bad)
    assert str(e.value) == cli_error(cli("train", "--data", bad, "--out", tmp_path / "m", check=False))
    assert str(e.value).startswith(f"{bad}:3: unknown label")
    missing = tmp_path / "missing.csv"
    with pytest.raises(FileNotFoundError) as e:
        newsprov.train(missing)
    assert str(e.value) == cli_error(cli("train", "--data", missing, "--out", tmp_path / "m", check=False))
    df = pd.DataFrame({"text": ["a fine text", None, "third"], "label": ["wire", "wire", "opinion"]})
    with pytest.raises(ValueError, match=r"^data\[1\]: missing text$"):
        newsprov.train(df)
    with pytest.raises(ValueError, match=r"missing column 'label'"):
        newsprov.train(df.drop(columns="label"))


def test_skip_invalid_trains_on_the_good_rows(small_csv, tmp_path):
    rows = pd.read_csv(small_csv, dtype=str, keep_default_na=False)
    rows.loc[3, "label"] = "opinion"
    path = tmp_path / "some-bad.csv"
    rows.to_csv(path, index=False)
    with pytest.warns(UserWarning, match="skipped 1 invalid rows"):
        model = newsprov.train(path, skip_invalid=True, **FAST)
    assert model.summary["skipped_rows"] == 1


def test_evaluate_is_the_cli_report(model, small_csv, cli, tmp_path):
    df = pd.read_csv(small_csv, dtype=str, keep_default_na=False)
    report = newsprov.evaluate(model, df["text"], df["label"])
    out = tmp_path / "report.json"
    cli("evaluate", "--data", small_csv, "--report", out)
    want = json.loads(out.read_text())
    got = report.to_dict()
    # The CLI's report also names the model and the data file; the table is the same.
    for k in ("model", "data", "name"):
        want.pop(k, None)
        got.pop(k, None)
    assert got == want
    assert report.matrix.shape == (3, 3) and report.matrix.sum() == report.n == 300
    assert report.labels == model.labels
    assert report.accuracy == pytest.approx(np.trace(report.matrix) / report.n)
    assert set(report.per_class) == set(model.labels)
    assert "confusion matrix" in repr(report) and "<table>" in report._repr_html_()
    with pytest.raises(ValueError, match=r"^texts\[1\]: unknown label"):
        newsprov.evaluate(model, ["a text", "another"], ["wire", "opinion"])


def test_report_plot_and_files(model, small_csv, cli, tmp_path):
    df = pd.read_csv(small_csv, dtype=str, keep_default_na=False)
    report = newsprov.evaluate(model, df["text"], df["label"], name=str(small_csv))
    svg = report.plot()
    assert svg.lstrip().startswith("<svg") and svg._repr_svg_() == svg
    cli_svg = tmp_path / "cli.svg"
    cli("evaluate", "--data", small_csv, "--confusion", cli_svg)
    assert svg == cli_svg.read_text()
    png = tmp_path / "cm.png"
    report.to_png(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    other = tmp_path / "heatmap.image"
    report.to_png(other)
    assert other.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report.save(tmp_path / "cm.csv")
    cli("evaluate", "--data", small_csv, "--confusion", tmp_path / "cli.csv")
    assert (tmp_path / "cm.csv").read_text() == (tmp_path / "cli.csv").read_text()
    with pytest.raises(ValueError, match="unknown confusion-matrix format"):
        report.save(tmp_path / "cm.bmp")
