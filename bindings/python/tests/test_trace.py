"""newsprov.TraceIndex: the same index bytes and trace records as the CLI."""
import pytest

import newsprov

from conftest import SHARED, cli_error

EVENTS = SHARED / "corpus2" / "events.csv"


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    import pandas as pd

    refs = pd.read_csv(EVENTS, dtype=str, keep_default_na=False)
    refs = refs[refs["label"] != "aggregator"].head(120)
    path = tmp_path_factory.mktemp("trace") / "refs.csv"
    refs[["id", "text"]].to_csv(path, index=False)
    return refs, path


@pytest.fixture(scope="module")
def index(references):
    refs, _ = references
    return newsprov.TraceIndex.build(refs["text"], refs["id"])


def test_build_gives_the_cli_index(index, references, cli, tmp_path):
    refs, path = references
    assert len(index) == len(refs) and index.ids == list(refs["id"])
    ours = tmp_path / "py.idx"
    index.save(ours)
    theirs = tmp_path / "cli.idx"
    cli("trace", "index", "--corpus", path, "--out", theirs)
    assert ours.read_bytes() == theirs.read_bytes()


def test_query_is_the_cli_record(index, references, cli_jsonl, tmp_path):
    refs, _ = references
    saved = tmp_path / "i.idx"
    index.save(saved)
    loaded = newsprov.TraceIndex.load(saved)
    # a rewrite: an original with its first paragraph dropped and a line added
    original = refs["text"].iloc[7]
    rewrite = "In case you missed it, here is the story.\n\n" + original.split("\n\n", 1)[-1]
    q = tmp_path / "q.txt"
    q.write_text(rewrite, encoding="utf-8")
    (want,) = cli_jsonl("trace", "--index", saved, q)
    got = loaded.query(rewrite)
    assert got == {k: v for k, v in want.items() if k != "id"}
    assert got["match"] is True
    best = got["matches"][0]
    assert best["id"] == refs["id"].iloc[7] or refs["id"].iloc[7] in best["also"]
    unrelated = loaded.query("Local bakery wins a prize for its sourdough bread, the owner said.")
    assert unrelated["match"] is False and unrelated["message"] == "no source found"
    assert "closest" in unrelated
    assert loaded.threshold > 0


def test_bad_references_are_left_out_with_a_warning():
    with pytest.warns(UserWarning, match="reference b: empty text"):
        idx = newsprov.TraceIndex.build(["The council approved the budget on Monday, officials said.", "", "Another text about the budget vote."], ["a", "b", "c"])
    assert idx.ids == ["a", "c"]
    with pytest.raises(ValueError, match="no readable references"), pytest.warns(UserWarning, match="left out"):
        newsprov.TraceIndex.build(["", None])
    with pytest.raises(ValueError, match="k must be at least 1"):
        idx.query("budget", k=0)


def test_index_file_errors(tmp_path, cli):
    missing = tmp_path / "none.idx"
    with pytest.raises(FileNotFoundError) as e:
        newsprov.TraceIndex.load(missing)
    assert str(e.value) == cli_error(cli("trace", "--index", missing, "data/examples", check=False))
    junk = tmp_path / "junk.idx"
    junk.write_bytes(b"garbage garbage garbage")
    with pytest.raises(ValueError) as e:
        newsprov.TraceIndex.load(junk)
    assert str(e.value) == cli_error(cli("trace", "--index", junk, "data/examples", check=False))
    with pytest.raises(TypeError):
        newsprov.TraceIndex()
