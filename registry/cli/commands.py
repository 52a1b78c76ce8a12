"""The commands that work on the registry's database (and two that read its documents)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from registry import migrate
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.auth.services import create_token
from registry.cli import open_output
from registry.db import WRITE_OPTION, create_engine, create_session_factory, utcnow
from registry.errors import NotFoundError
from registry.reference.catalog import ReferenceCatalog
from registry.reference.loader import load_reference_data
from registry.settings import Settings

T = TypeVar("T")


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


def run_with_catalog(
    settings: Settings, work: Callable[[AsyncSession, ReferenceCatalog], Awaitable[T]]
) -> T:
    """``run_in_transaction`` for work that reads the reference catalog, loaded in the same
    transaction."""

    async def with_catalog(session: AsyncSession) -> T:
        return await work(session, await ReferenceCatalog.load(session))

    return run_in_transaction(settings, with_catalog)


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

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> str:
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

    secret = run_with_catalog(settings, work)
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


def cmd_export_report(settings: Settings, args: argparse.Namespace) -> int:
    from registry.accreditation import reports
    from registry.signing import Signer

    professional_id = _professional_id(args.professional)
    if professional_id is None:
        print(f"registry: --professional {args.professional!r} is not an ID", file=sys.stderr)
        return 2
    signer = Signer.from_path(settings.signing_key_path)

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> dict[str, object]:
        return await reports.issue(
            session, catalog, Principal.system(), signer, professional_id, now=utcnow()
        )

    try:
        signed = run_with_catalog(settings, work)
    except NotFoundError:
        print(f"registry: no professional {args.professional}", file=sys.stderr)
        return 1
    with open_output(args.output) as target:
        json.dump(signed, target, ensure_ascii=False, indent=2)
        target.write("\n")
    return 0


def cmd_export_nri(settings: Settings, args: argparse.Namespace) -> int:
    from registry.recruitment.reporting import nri, nri_rows

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> dict[str, object]:
        return await nri(session, catalog, args.country, args.year)

    report = run_with_catalog(settings, work)
    with open_output(args.output) as target:
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

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> list[dict[str, object]]:
        cells = await workforce_statistics(
            session,
            catalog,
            principal,
            spec,
            group_by,
            today=utcnow().date(),
            min_cell=settings.min_cell_size,
        )
        return tidy_rows(cells, group_by)

    rows = run_with_catalog(settings, work)
    with open_output(args.output) as target:
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

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> oecd.OecdLoad:
        return await oecd.load(
            session, catalog, Principal.system(), text, skip_bad_rows=args.skip_bad_rows
        )

    loaded = run_with_catalog(settings, work)
    for issue in loaded.skipped:
        print(f"registry: skipped {issue.field}: {issue.message}", file=sys.stderr)
    print(f"OECD figures: {loaded.inserted} added, {loaded.updated} updated")
    return 0


def cmd_import_shortages(settings: Settings, args: argparse.Namespace) -> int:
    from matching.titles import default_matcher
    from registry.shortages import services

    with args.file as source:
        text = source.read()

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> int:
        created = await services.import_csv(
            session, catalog, default_matcher(), Principal.system(), text
        )
        return len(created)

    print(f"shortages: {run_with_catalog(settings, work)} added")
    return 0


def cmd_import_safeguard_list(settings: Settings, args: argparse.Namespace) -> int:
    from registry.recruitment import reference

    with args.file as source:
        text = source.read()

    async def work(session: AsyncSession, catalog: ReferenceCatalog) -> reference.LoadedEdition:
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

    loaded = run_with_catalog(settings, work)
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
        secret = run_with_catalog(settings, _demo_admin_token)
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


async def _demo_admin_token(session: AsyncSession, catalog: ReferenceCatalog) -> str:
    issued = await create_token(
        session, catalog, role=Role.ADMIN, label="demo admin", issued_by=Principal.system()
    )
    return issued.secret
