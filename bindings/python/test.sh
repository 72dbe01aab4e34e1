#!/usr/bin/env bash
# Builds the Python package, installs it into this Python and runs its pytest suite.
# Needs: Rust, Python 3.9+ with pip, Java 17 for the Spark test (openjdk-17-jre-headless), and
# ../shared beside the project (the corpus). The pytest exit code is this script's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="${PYTHON:-python3}"
"$py" -m pip install -q --disable-pip-version-check maturin pytest numpy pandas scikit-learn pyspark pyarrow
# The CLI the tests compare with.
(cd "$root" && cargo build --release --quiet --bin newsprov)
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
(cd "$here" && maturin build --quiet -o "$wheels")  # profile: pyproject.toml ([tool.maturin])
"$py" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/newsprov-*.whl
# Run from the tests folder so the installed package (not the source tree) is imported.
cd "$here/tests"
set +e
"$py" -m pytest -q -rs -p no:cacheprovider "$@" .
code=$?
set -e
# 0 all passed; 5 means no test ran, which is a failure here too.
if [ "$code" -ne 0 ]; then
  echo "python tests failed (pytest exit code $code)" >&2
fi
exit "$code"
