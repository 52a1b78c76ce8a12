"""`shortage(id).candidates(first: 20)` over HTTP, on a registry of N professionals and M
shortages: prints p50/p95/p99 latency and the SQL statements per request (constant).

Loads the professionals (bench.common.bulk_load, unless --reuse), then gives 5% of them a
recognition case in their country of residence (a third of those recognised and licensed),
and records M shortages spread over the host countries and occupations the data has.

    python -m bench.shortages --database-url sqlite:///./bench.db
    python -m bench.shortages --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import date, timedelta

import httpx2 as httpx
from sqlalchemy import delete, func, select, text

from bench.common import (
    bulk_load,
    count_professionals,
    issue_token,
    live_server,
    post_graphql,
    prepare,
    settings_for,
    summary,
)
from registry.accreditation.enums import CaseStatus, LicenceStatus, Pathway
from registry.accreditation.models import Licence, RecognitionCase
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.auth.services import create_token
from registry.db import create_engine, create_session_factory
from registry.demo.generator import HOST_LANGUAGES
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.professionals.enums import LanguageLevel
from registry.professionals.models import Professional
from registry.reference.catalog import ReferenceCatalog
from registry.settings import Settings
from registry.shortages.models import Shortage, ShortageLanguage
from schema.ids import to_global_id

OCCUPATIONS = ["2221", "2221", "2221", "2211", "2212", "2212", "2222", "2262", "2261", "3221"]
QUERY = """query($id: ID!, $first: Int!) { node(id: $id) { ... on Shortage {
  candidates(first: $first) { edges { node { score readiness codeStatus
    profile { id familyName residenceCountry { code } }
    factors { name weight value explanation } } } } } } }"""


async def add_recognitions_and_shortages(settings: Settings, shortages: int, seed: int) -> None:
    rng = random.Random(seed)
    engine = create_engine(settings)
    factory = create_session_factory(engine)
    today = date.today()
    async with factory() as session, session.begin():
        await session.execute(delete(Shortage))
        await session.execute(delete(Licence))
        await session.execute(delete(RecognitionCase))
        hosts = [
            country
            for country, n in await session.execute(
                select(Professional.residence_country, func.count())
                .group_by(Professional.residence_country)
                .order_by(func.count().desc())
                .limit(25)
            )
            if n > 100
        ]
        authorities = {}
        for host in hosts:
            authority = Organisation(
                kind=OrganisationKind.COMPETENT_AUTHORITY, name=f"Board {host}", country=host
            )
            session.add(authority)
            authorities[host] = authority
        await session.flush()
        sample = (
            await session.execute(
                select(
                    Professional.id, Professional.residence_country, Professional.primary_isco_code
                )
                .where(Professional.primary_isco_code.is_not(None))
                .where(Professional.residence_country.in_(hosts))
                .order_by(Professional.id)
            )
        ).all()
        chosen = rng.sample(sample, k=len(sample) // 20)
        for number, (person, host, code) in enumerate(chosen):
            recognised = number % 3 == 0
            case = RecognitionCase(
                professional_id=person,
                host_country=host,
                authority_id=authorities[host].id,
                isco_code=code,
                pathway=Pathway.GENERAL_SYSTEM,
                status=CaseStatus.RECOGNISED if recognised else CaseStatus.UNDER_REVIEW,
                submitted_on=today - timedelta(days=200),
                decided_on=today - timedelta(days=30) if recognised else None,
            )
            session.add(case)
            if recognised:
                await session.flush()
                session.add(
                    Licence(
                        case_id=case.id,
                        professional_id=person,
                        country=host,
                        isco_code=code,
                        number=f"{host}-{number}",
                        status=LicenceStatus.ACTIVE,
                        valid_from=today - timedelta(days=30),
                        valid_until=today + timedelta(days=1000),
                    )
                )
        for i in range(shortages):
            host = rng.choice(hosts)
            language = HOST_LANGUAGES.get(host, "eng")
            session.add(
                Shortage(
                    host_country=host,
                    isco_code=rng.choice(OCCUPATIONS),
                    posts=rng.randint(1, 60),
                    recognition_required=rng.random() < 0.7,
                    starts_on=today - timedelta(days=rng.randint(0, 90)),
                    source=f"bench survey {i}",
                    languages=[
                        ShortageLanguage(
                            language_code=language,
                            level=rng.choice(
                                [LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1]
                            ),
                        )
                    ],
                )
            )
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    await engine.dispose()


async def agency_token(settings: Settings) -> str:
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session, session.begin():
        agency = Organisation(
            kind=OrganisationKind.RECRUITMENT_AGENCY, name="Bench agency", country="DE"
        )
        session.add(agency)
        await session.flush()
        issued = await create_token(
            session,
            await ReferenceCatalog.load(session),
            role=Role.PLACEMENT_AGENCY,
            label="bench agency",
            organisation_id=agency.id,
            issued_by=Principal.system(),
        )
    await engine.dispose()
    return issued.secret


async def shortage_ids(settings: Settings) -> list[str]:
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        ids = list(await session.scalars(select(Shortage.id).order_by(Shortage.id)))
    await engine.dispose()
    return [to_global_id("Shortage", i) for i in ids]


async def measure(settings: Settings, requests: int, seed: int) -> None:
    agency = await agency_token(settings)
    admin = await issue_token(settings, Role.ADMIN)
    shortages = await shortage_ids(settings)
    rng = random.Random(seed)
    async with live_server(settings) as (base, counter):
        for role, token in (("agency", agency), ("admin", admin)):
            async with httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
            ) as client:
                for first in (1, 20, 100):
                    counter.count = 0
                    await post(client, shortages[0], first)
                    print(f"  {role}: statements per request, first={first}: {counter.count}")
                latencies = []
                for _ in range(requests):
                    target = rng.choice(shortages)
                    started = time.perf_counter()
                    await post(client, target, 20)
                    latencies.append((time.perf_counter() - started) * 1000)
                print(f"  {role}: candidates(first: 20) {summary(latencies)}")


async def post(client: httpx.AsyncClient, shortage: str, first: int) -> None:
    await post_graphql(client, QUERY, id=shortage, first=first)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--professionals", type=int, default=100_000)
    parser.add_argument("--shortages", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the professionals loaded")
    args = parser.parse_args()
    settings = settings_for(args.database_url)
    if not args.reuse:
        prepare(settings, reset=True)
        bulk_load(settings, args.professionals)
    else:
        prepare(settings, reset=False)
    asyncio.run(add_recognitions_and_shortages(settings, args.shortages, args.seed))
    backend = "sqlite" if settings.is_sqlite else "postgresql"
    total = count_professionals(settings)
    print(f"shortages[{backend}]: {total:,} professionals, {args.shortages:,} shortages")
    asyncio.run(measure(settings, args.requests, args.seed))


if __name__ == "__main__":
    main()
