"""Shared fixtures: the project root, the corpus beside it, and the CLI binary to compare with."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
DEV_CSV = SHARED / "corpus2" / "dev.csv"
EXAMPLES = ROOT / "data" / "examples"


def cli_binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = target / "release" / "newsprov"
    if not exe.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "newsprov"], cwd=ROOT, check=True)
    return exe


@pytest.fixture(scope="session")
def cli():
    """Runs the newsprov CLI; returns the CompletedProcess (text mode)."""
    exe = cli_binary()

    def run(*args, check=True):
        p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=ROOT)
        if check and p.returncode != 0:
            raise AssertionError(f"newsprov {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr}")
        return p

    return run


@pytest.fixture(scope="session")
def cli_jsonl(cli):
    """Records of a CLI command with `--format jsonl`."""

    def run(*args):
        return [json.loads(line) for line in cli(*args, "--format", "jsonl").stdout.splitlines()]

    return run


def cli_error(proc) -> str:
    """The message the CLI printed after `newsprov: error: `."""
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith("newsprov: error: "), proc.stderr
    return line[len("newsprov: error: "):]


@pytest.fixture(scope="session")
def model():
    import newsprov

    return newsprov.Model()


@pytest.fixture(scope="session")
def examples():
    """(path, text) of the hand-written example articles."""
    paths = sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")
    return [(p, p.read_text(encoding="utf-8")) for p in paths]


@pytest.fixture(scope="session")
def dev_frame():
    import pandas as pd

    if not DEV_CSV.exists():
        pytest.fail(f"{DEV_CSV} is missing: the tests need ../shared beside the project")
    return pd.read_csv(DEV_CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory, dev_frame):
    """A deterministic 300-row labeled CSV: every 11th row of dev.csv."""
    sample = dev_frame.iloc[::11].head(300)
    path = tmp_path_factory.mktemp("data") / "small.csv"
    sample.to_csv(path, index=False)
    return path
