from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from registry.auth.models import ApiToken
from registry.auth.services import hash_token
from registry.cli import build_parser, main, resolve
from registry.cli.commands import run_in_transaction
from registry.demo.generator import load_demo_data_if_empty
from registry.settings import Settings
from schema.app import app_from_environment
from tests.helpers import Api


@pytest.fixture
def cli_env(clean_db: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    return clean_db


def test_token_create_prints_once_and_stores_only_the_hash(
    cli_env: Settings, capsys: pytest.CaptureFixture[str], api: Api
) -> None:
    assert main(["token", "create", "--role", "accreditation_body", "--country", "de"]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert secret.startswith("rgt_")
    assert "cannot be shown again" in err
    token = api.scalar(select(ApiToken))
    assert token.token_hash == hash_token(secret)
    assert secret not in token.token_hash
    assert token.country_code == "DE"
    assert api.gql("{ viewer { role country } }", secret)["viewer"] == {
        "role": "accreditation_body",
        "country": "DE",
    }


def test_token_create_rejects_unknown_country(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--role", "admin", "--country", "XX"]) == 2
    assert "country" in capsys.readouterr().err


def test_demo_data_is_realistic(cli_env: Settings, api: Api, admin: str) -> None:
    assert main(["demo-data", "--professionals", "60", "--seed", "7"]) == 0
    data = api.gql(
        """{ professionals(first: 60) { totalCount edges { node { residenceCountry { code }
            birthCountry { code } languages { language { code } level }
            qualifications { originalTitle titleLanguage trainingCountry { code }
              occupation { iscoCode } } } } } }""",
        admin,
    )["professionals"]
    assert data["totalCount"] == 60
    for edge in data["edges"]:
        node = edge["node"]
        assert node["qualifications"], node
        assert any(lang["level"] == "NATIVE" for lang in node["languages"])
        for q in node["qualifications"]:
            assert q["occupation"]["iscoCode"].startswith("22")
            assert q["trainingCountry"]["code"] != node["residenceCountry"]["code"]


def test_settings_errors_are_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REGISTRY_ENV", "staging")
    assert main(["db", "current"]) == 2
    assert "REGISTRY_ENV" in capsys.readouterr().err


def test_demo_registry_has_shortages_with_candidates(
    cli_env: Settings, api: Api, admin: str
) -> None:
    assert run_in_transaction(cli_env, lambda s: load_demo_data_if_empty(s, 120)) == 120
    assert run_in_transaction(cli_env, lambda s: load_demo_data_if_empty(s, 120)) == 0
    shortages = api.gql(
        """{ shortages(first: 100) { totalCount edges { node {
          candidates(first: 1, includeCodeExcluded: true) { totalCount } } } } }""",
        admin,
    )["shortages"]
    assert 1 <= shortages["totalCount"] <= 12
    # Every demo shortage is for an occupation and a country where demo people are.
    assert all(e["node"]["candidates"]["totalCount"] > 0 for e in shortages["edges"])
    # Demo people have recognition cases at every stage, and some are licensed: some
    # candidates are ready now.
    gaps = api.gql("{ shortageGaps { readyNow afterRecognition } }", admin)["shortageGaps"]
    assert sum(g["readyNow"] for g in gaps) > 0
    cases = api.gql(
        "{ recognitionCases(first: 100) { totalCount edges { node { status } } } }", admin
    )["recognitionCases"]
    assert cases["totalCount"] == 20  # every sixth of 120
    statuses = {e["node"]["status"] for e in cases["edges"]}
    assert statuses == {"SUBMITTED", "UNDER_REVIEW", "RECOGNISED"}


def test_worker_processes_build_their_app_from_the_environment(cli_env: Settings) -> None:
    with TestClient(app_from_environment()) as client:
        assert client.get("/healthz").json() == {"status": "ok", "database": "up"}


def _commands(parser: argparse.ArgumentParser, path: str = "") -> Iterator[tuple[str, str]]:
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield path.strip(), parser.get_default("handler")
    for action in subcommands:
        for name, sub in action.choices.items():
            yield from _commands(sub, f"{path} {name}")


def test_every_command_names_a_handler_that_exists() -> None:
    # Handlers are named, not imported, so that a command loads only its own module: a
    # misspelt name would otherwise surface only when someone runs that command.
    commands = dict(_commands(build_parser()))
    assert {"serve", "map-titles", "db upgrade", "import shortages"} <= set(commands)
    for command, handler in commands.items():
        assert callable(resolve(handler)), command


def test_map_titles_does_not_load_the_database_layer(tmp_path: Path) -> None:
    # Nor the server's rate limiter: its start-up counts in the command's throughput.
    source = tmp_path / "in.csv"
    source.write_text("title\nNurse\n", encoding="utf-8")
    script = (
        "import sys; from registry.cli import main; "
        f"code = main(['map-titles', {str(source)!r}, '-o', {str(tmp_path / 'out.csv')!r}]); "
        "print(code, sorted(m for m in ('sqlalchemy', 'alembic', 'strawberry', 'limits') "
        "if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_RATE_LIMIT")}
    done = subprocess.run(  # noqa: S603 - this interpreter, a script from the test
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split("\n")[0] == "0 []", done.stdout + done.stderr
