#!/usr/bin/env bash
# The test command: sets up .venv from pyproject.toml, then ruff, mypy and pytest.
# Runs on SQLite; also on PostgreSQL when REGISTRY_TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
exec .venv/bin/pytest "$@"
