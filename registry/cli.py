"""`registry ...`: the command line. Builds Settings once and passes them everywhere."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, TextIO, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from registry import migrate
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.auth.services import create_token
from registry.db import WRITE_OPTION, create_engine, create_session_factory, utcnow
from registry.errors import NotFoundError, ValidationFailedError
from registry.reference.catalog import ReferenceCatalog
from registry.reference.loader import load_reference_data
from registry.settings import Settings, SettingsError

T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 2
    try:
        result: int = args.handler(settings, args)
    except ValidationFailedError as exc:
        for issue in exc.issues:
            print(f"registry: {issue.field}: {issue.message}", file=sys.stderr)
        return 2
    return result


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
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate to a revision (default head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    downgrade = db_commands.add_parser("downgrade", help="migrate down to a revision")
    downgrade.add_argument("revision", help="e.g. -1 or base")
    downgrade.set_defaults(handler=cmd_db_downgrade)
    current = db_commands.add_parser("current", help="show the current revision")
    current.set_defaults(handler=cmd_db_current)

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="create a token and print it once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--country", help="ISO 3166-1 alpha-2 scope (accreditation bodies)")
    create.add_argument("--organisation", type=uuid.UUID, help="organisation scope (agencies)")
    create.add_argument("--label", default="", help="who or what the token is for")
    create.set_defaults(handler=cmd_token_create)

    titles = commands.add_parser(
        "map-titles", help="map qualification titles in a CSV to ISCO-08 occupations"
    )
    titles.add_argument("input", type=argparse.FileType("r", encoding="utf-8-sig"))
    titles.add_argument("-o", "--output", default="-", help="output CSV (default: standard output)")
    titles.set_defaults(handler=cmd_map_titles)

    export = commands.add_parser("export", help="export documents")
    export_commands = export.add_subparsers(dest="export_command", required=True)
    report = export_commands.add_parser(
        "verification-report", help="a signed report of a person's credentials and recognitions"
    )
    report.add_argument("--professional", required=True, help="global ID or UUID")
    report.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    report.set_defaults(handler=cmd_export_report)

    nri = export_commands.add_parser(
        "nri", help="National Reporting Instrument figures for a destination country and year"
    )
    nri.add_argument("--country", required=True, help="ISO 3166-1 alpha-2")
    nri.add_argument("--year", required=True, type=int)
    nri.add_argument("--format", choices=["json", "csv"], default="json")
    nri.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    nri.set_defaults(handler=cmd_export_nri)

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
    stats.set_defaults(handler=cmd_export_statistics)

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
    edition.set_defaults(handler=cmd_import_safeguard_list)
    oecd = import_commands.add_parser("oecd", help="load OECD HEALTH_WFMI figures from CSV")
    oecd.add_argument("file", type=argparse.FileType("r", encoding="utf-8-sig"))
    oecd.add_argument("--skip-bad-rows", action="store_true", help="load the good rows only")
    oecd.set_defaults(handler=cmd_import_oecd)
    shortages = import_commands.add_parser(
        "shortages", help="load shortages from CSV (every row or none)"
    )
    shortages.add_argument("file", type=argparse.FileType("r", encoding="utf-8-sig"))
    shortages.set_defaults(handler=cmd_import_shortages)

    verify = commands.add_parser(
        "verify-report", help="check that a report was signed by this registry, unaltered"
    )
    verify.add_argument("file", type=argparse.FileType("r", encoding="utf-8"))
    verify.set_defaults(handler=cmd_verify_report)

    sdl = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    sdl.set_defaults(handler=cmd_schema)

    demo = commands.add_parser("demo-data", help="add realistic synthetic professionals")
    demo.add_argument("--professionals", type=int, default=200)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler=cmd_demo_data)
    return parser


def run_in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        engine = create_engine(settings)
        try:
            async with create_session_factory(engine)() as session, session.begin():
                await session.connection(execution_options={WRITE_OPTION: True})
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def prepare_database(settings: Settings) -> None:
    migrate.upgrade(settings)
    report = run_in_transaction(settings, load_reference_data)
    print(f"reference data: {report.inserted} rows added, {report.updated} updated")


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    migrate.upgrade(settings, args.revision)
    if args.revision == "head":
        run_in_transaction(settings, load_reference_data)
    return 0


def cmd_db_current(settings: Settings, args: argparse.Namespace) -> int:
    migrate.current(settings)
    return 0


def cmd_db_downgrade(settings: Settings, args: argparse.Namespace) -> int:
    migrate.downgrade(settings, args.revision)
    return 0


def cmd_token_create(settings: Settings, args: argparse.Namespace) -> int:
    role = Role(args.role)

    async def work(session: AsyncSession) -> str:
        catalog = await ReferenceCatalog.load(session)
        issued = await create_token(
            session,
            catalog,
            role=role,
            label=args.label or f"{role.value} token",
            country_code=args.country,
            organisation_id=args.organisation,
            issued_by=Principal.system(),
        )
        return issued.secret

    secret = run_in_transaction(settings, work)
    print(secret)
    print("Store it now: only its hash is kept and it cannot be shown again.", file=sys.stderr)
    return 0


def cmd_demo_data(settings: Settings, args: argparse.Namespace) -> int:
    from registry.demo.generator import load_demo_data

    count = run_in_transaction(
        settings, lambda s: load_demo_data(s, args.professionals, seed=args.seed)
    )
    print(f"demo data: {count} professionals added")
    return 0


def cmd_map_titles(settings: Settings, args: argparse.Namespace) -> int:
    from matching.batch import InputError, map_csv
    from matching.titles import TitleMatcher

    def progress(rows: int) -> None:
        print(f"\r{rows:,} titles mapped", end="", file=sys.stderr, flush=True)

    matcher = TitleMatcher()
    with args.input as source, _open_output(args.output) as target:
        try:
            counts = map_csv(
                matcher, source, target, progress=progress if sys.stderr.isatty() else None
            )
        except InputError as exc:
            print(f"registry: {args.input.name}: {exc}", file=sys.stderr)
            return 2
    summary = ", ".join(f"{status.value} {n:,}" for status, n in counts.items())
    print(f"\n{summary} (alias table {matcher.version})", file=sys.stderr)
    return 0


def _open_output(path: str) -> TextIO:
    if path == "-":
        return contextlib.nullcontext(sys.stdout)  # type: ignore[return-value]
    return open(path, "w", encoding="utf-8", newline="")  # closed by the caller


def cmd_export_report(settings: Settings, args: argparse.Namespace) -> int:
    from registry.accreditation import reports
    from registry.signing import Signer

    professional_id = _professional_id(args.professional)
    if professional_id is None:
        print(f"registry: --professional {args.professional!r} is not an ID", file=sys.stderr)
        return 2
    signer = Signer.from_path(settings.signing_key_path)

    async def work(session: AsyncSession) -> dict[str, object]:
        catalog = await ReferenceCatalog.load(session)
        return await reports.issue(
            session, catalog, Principal.system(), signer, professional_id, now=utcnow()
        )

    try:
        signed = run_in_transaction(settings, work)
    except NotFoundError:
        print(f"registry: no professional {args.professional}", file=sys.stderr)
        return 1
    with _open_output(args.output) as target:
        json.dump(signed, target, ensure_ascii=False, indent=2)
        target.write("\n")
    return 0


def cmd_export_nri(settings: Settings, args: argparse.Namespace) -> int:
    from registry.recruitment.reporting import nri, nri_rows

    async def work(session: AsyncSession) -> dict[str, object]:
        return await nri(session, await ReferenceCatalog.load(session), args.country, args.year)

    report = run_in_transaction(settings, work)
    with _open_output(args.output) as target:
        if args.format == "json":
            json.dump(report, target, ensure_ascii=False, indent=2)
            target.write("\n")
        else:
            writer = csv.DictWriter(
                target,
                fieldnames=["section", "occupation", "country", "measure", "value"],
                lineterminator="\n",
            )
            writer.writeheader()
            writer.writerows(nri_rows(report))
    return 0


def cmd_export_statistics(settings: Settings, args: argparse.Namespace) -> int:
    from registry.statistics.dimensions import Dimension
    from registry.statistics.indicators import (
        StatisticsFilter,
        export_columns,
        tidy_rows,
        workforce_statistics,
    )

    def split(value: str) -> list[str]:
        return [v.strip() for v in value.split(",") if v.strip()]

    try:
        group_by = [Dimension(d.lower()) for d in split(args.group_by)]
        years = [int(y) for y in split(args.years)]
    except ValueError as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 2
    spec = StatisticsFilter(split(args.host_countries), split(args.occupations), years)
    # Withholding small cells is the default: an export file travels.
    principal = Principal.system() if args.no_suppression else Principal(role=Role.RESEARCHER)

    async def work(session: AsyncSession) -> list[dict[str, object]]:
        cells = await workforce_statistics(
            session,
            await ReferenceCatalog.load(session),
            principal,
            spec,
            group_by,
            today=utcnow().date(),
            min_cell=settings.min_cell_size,
        )
        return tidy_rows(cells, group_by)

    rows = run_in_transaction(settings, work)
    with _open_output(args.output) as target:
        if args.format == "json":
            json.dump({"group_by": [d.value for d in group_by], "rows": rows}, target, indent=2)
            target.write("\n")
        else:
            writer = csv.DictWriter(target, export_columns(group_by), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return 0


def cmd_import_oecd(settings: Settings, args: argparse.Namespace) -> int:
    from registry.statistics import oecd

    with args.file as source:
        text = source.read()

    async def work(session: AsyncSession) -> oecd.OecdLoad:
        catalog = await ReferenceCatalog.load(session)
        return await oecd.load(
            session, catalog, Principal.system(), text, skip_bad_rows=args.skip_bad_rows
        )

    loaded = run_in_transaction(settings, work)
    for issue in loaded.skipped:
        print(f"registry: skipped {issue.field}: {issue.message}", file=sys.stderr)
    print(f"OECD figures: {loaded.inserted} added, {loaded.updated} updated")
    return 0


def cmd_import_shortages(settings: Settings, args: argparse.Namespace) -> int:
    from matching.titles import default_matcher
    from registry.shortages import services

    with args.file as source:
        text = source.read()

    async def work(session: AsyncSession) -> int:
        catalog = await ReferenceCatalog.load(session)
        created = await services.import_csv(
            session, catalog, default_matcher(), Principal.system(), text
        )
        return len(created)

    print(f"shortages: {run_in_transaction(settings, work)} added")
    return 0


def cmd_import_safeguard_list(settings: Settings, args: argparse.Namespace) -> int:
    from registry.recruitment import reference

    with args.file as source:
        text = source.read()

    async def work(session: AsyncSession) -> reference.LoadedEdition:
        catalog = await ReferenceCatalog.load(session)
        data = reference.EditionData(
            args.year,
            args.effective_from,
            args.criteria,
            args.source,
            reference.parse_edition_csv(text, catalog),
        )
        return await reference.load_edition(
            session, catalog, Principal.system(), data, now=utcnow(), replace=args.replace
        )

    loaded = run_in_transaction(settings, work)
    print(
        f"safeguard list {args.year}: {loaded.countries} countries, effective "
        f"{args.effective_from}; {loaded.rejudged} recruitments changed verdict"
    )
    return 0


def cmd_verify_report(settings: Settings, args: argparse.Namespace) -> int:
    from registry.accreditation import reports
    from registry.signing import Signer

    with args.file as source:
        try:
            document = json.load(source)
        except ValueError:
            document = None
    result = reports.check(Signer.from_path(settings.signing_key_path), document)
    if result.authentic:
        print(f"authentic: {result.reason} (issued {result.issued_at}, key {result.key_id})")
        return 0
    print(f"NOT authentic: {result.reason}", file=sys.stderr)
    return 1


def _professional_id(raw: str) -> uuid.UUID | None:
    from schema.ids import InvalidGlobalIdError, expect_global_id

    try:
        return uuid.UUID(raw)
    except ValueError:
        pass
    try:
        return expect_global_id(raw, "Professional")
    except InvalidGlobalIdError:
        return None


def cmd_schema(settings: Settings, args: argparse.Namespace) -> int:
    from schema.schema import print_sdl

    sys.stdout.write(print_sdl())
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from schema.app import create_app

    prepare_database(settings)
    if args.demo:
        from registry.demo.generator import load_demo_data_if_empty

        added = run_in_transaction(settings, lambda s: load_demo_data_if_empty(s, 200))
        print(f"demo data: {added} professionals added")
        secret = run_in_transaction(
            settings,
            lambda s: _demo_admin_token(s),
        )
        print(f"demo admin token (shown once): {secret}")
    common: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "timeout_graceful_shutdown": 30,
    }
    if args.workers > 1:
        # Each worker process builds its app from the environment these settings came from.
        uvicorn.run("schema.app:app_from_environment", factory=True, workers=args.workers, **common)
    else:
        uvicorn.run(create_app(settings), **common)
    return 0


async def _demo_admin_token(session: AsyncSession) -> str:
    catalog = await ReferenceCatalog.load(session)
    issued = await create_token(
        session, catalog, role=Role.ADMIN, label="demo admin", issued_by=Principal.system()
    )
    return issued.secret


if __name__ == "__main__":
    raise SystemExit(main())
