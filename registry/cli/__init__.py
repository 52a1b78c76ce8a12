"""`registry ...`: the command line. Builds Settings once and passes them everywhere.

Each command's module is imported when the command runs, as pip loads its commands: the
parser and ``map-titles`` never load the database layer, whose imports take half a
second of every start-up."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import TextIO

from registry.auth.roles import Role
from registry.errors import ValidationFailedError
from registry.settings import Settings, SettingsError

Handler = Callable[[Settings, argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 2
    try:
        result: int = resolve(args.handler)(settings, args)
    except ValidationFailedError as exc:
        for issue in exc.issues:
            print(f"registry: {issue.field}: {issue.message}", file=sys.stderr)
        return 2
    return result


def resolve(handler: str) -> Handler:
    """A command's handler from its "module:function" name, importing the module."""
    module, _, name = handler.partition(":")
    found: Handler = getattr(importlib.import_module(module), name)
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="registry", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, load reference data, serve GraphQL")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="load demo data into an empty registry")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (one a core; default 1)"
    )
    serve.set_defaults(handler="registry.cli.commands:cmd_serve")

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate to a revision (default head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler="registry.cli.commands:cmd_db_upgrade")
    downgrade = db_commands.add_parser("downgrade", help="migrate down to a revision")
    downgrade.add_argument("revision", help="e.g. -1 or base")
    downgrade.set_defaults(handler="registry.cli.commands:cmd_db_downgrade")
    current = db_commands.add_parser("current", help="show the current revision")
    current.set_defaults(handler="registry.cli.commands:cmd_db_current")

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="create a token and print it once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--country", help="ISO 3166-1 alpha-2 scope (accreditation bodies)")
    create.add_argument("--organisation", type=uuid.UUID, help="organisation scope (agencies)")
    create.add_argument("--label", default="", help="who or what the token is for")
    create.set_defaults(handler="registry.cli.commands:cmd_token_create")

    titles = commands.add_parser(
        "map-titles", help="map qualification titles in a CSV to ISCO-08 occupations"
    )
    titles.add_argument("input", type=argparse.FileType("r", encoding="utf-8-sig"))
    titles.add_argument("-o", "--output", default="-", help="output CSV (default: standard output)")
    titles.set_defaults(handler="registry.cli.titles:cmd_map_titles")

    export = commands.add_parser("export", help="export documents")
    export_commands = export.add_subparsers(dest="export_command", required=True)
    report = export_commands.add_parser(
        "verification-report", help="a signed report of a person's credentials and recognitions"
    )
    report.add_argument("--professional", required=True, help="global ID or UUID")
    report.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    report.set_defaults(handler="registry.cli.commands:cmd_export_report")

    nri = export_commands.add_parser(
        "nri", help="National Reporting Instrument figures for a destination country and year"
    )
    nri.add_argument("--country", required=True, help="ISO 3166-1 alpha-2")
    nri.add_argument("--year", required=True, type=int)
    nri.add_argument("--format", choices=["json", "csv"], default="json")
    nri.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    nri.set_defaults(handler="registry.cli.commands:cmd_export_nri")

    stats = export_commands.add_parser(
        "statistics", help="workforce statistics as CSV or JSON (small cells withheld)"
    )
    stats.add_argument("--group-by", required=True, help="e.g. host_country,occupation,year")
    stats.add_argument("--host-countries", default="", help="e.g. DE,FR")
    stats.add_argument("--occupations", default="", help="ISCO codes or doctors,nurses,...")
    stats.add_argument("--years", default="", help="e.g. 2024,2025")
    stats.add_argument("--format", choices=["json", "csv"], default="csv")
    stats.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    stats.add_argument(
        "--no-suppression", action="store_true", help="full counts (for the ministry's own use)"
    )
    stats.set_defaults(handler="registry.cli.commands:cmd_export_statistics")

    imports = commands.add_parser("import", help="load reference files")
    import_commands = imports.add_subparsers(dest="import_command", required=True)
    edition = import_commands.add_parser(
        "safeguard-list", help="load a WHO safeguard-list edition and re-judge recruitments"
    )
    edition.add_argument("file", type=argparse.FileType("r", encoding="utf-8-sig"))
    edition.add_argument("--year", required=True, type=int)
    edition.add_argument("--effective-from", required=True, type=date.fromisoformat)
    edition.add_argument("--criteria", required=True)
    edition.add_argument("--source", required=True)
    edition.add_argument("--replace", action="store_true", help="replace that year's edition")
    edition.set_defaults(handler="registry.cli.commands:cmd_import_safeguard_list")
    oecd = import_commands.add_parser("oecd", help="load OECD HEALTH_WFMI figures from CSV")
    oecd.add_argument("file", type=argparse.FileType("r", encoding="utf-8-sig"))
    oecd.add_argument("--skip-bad-rows", action="store_true", help="load the good rows only")
    oecd.set_defaults(handler="registry.cli.commands:cmd_import_oecd")
    shortages = import_commands.add_parser(
        "shortages", help="load shortages from CSV (every row or none)"
    )
    shortages.add_argument("file", type=argparse.FileType("r", encoding="utf-8-sig"))
    shortages.set_defaults(handler="registry.cli.commands:cmd_import_shortages")

    verify = commands.add_parser(
        "verify-report", help="check that a report was signed by this registry, unaltered"
    )
    verify.add_argument("file", type=argparse.FileType("r", encoding="utf-8"))
    verify.set_defaults(handler="registry.cli.commands:cmd_verify_report")

    sdl = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    sdl.set_defaults(handler="registry.cli.commands:cmd_schema")

    demo = commands.add_parser("demo-data", help="add realistic synthetic professionals")
    demo.add_argument("--professionals", type=int, default=200)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler="registry.cli.commands:cmd_demo_data")
    return parser


def open_output(path: str) -> TextIO:
    if path == "-":
        return contextlib.nullcontext(sys.stdout)  # type: ignore[return-value]
    return open(path, "w", encoding="utf-8", newline="")  # closed by the caller
