"""Workforce statistics at scale: host country x occupation x year over N professionals
(1,000,000 by default), timed through the service, beside the same people aggregate
written by hand as one SQL GROUP BY.

python -m bench.statistics --database-url postgresql://postgres@127.0.0.1/bench_stats
python -m bench.statistics --database-url ... --keep    # reuse the loaded data
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from bench.common import bulk_load, count_professionals, percentile, prepare, settings_for
from registry.accreditation.models import RecognitionCase
from registry.auth.principal import Principal
from registry.db import create_engine, create_session_factory, utcnow
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.professionals.models import Professional
from registry.reference.catalog import ReferenceCatalog
from registry.settings import Settings
from registry.statistics.dimensions import Dimension
from registry.statistics.indicators import StatisticsFilter, workforce_statistics

GROUP_BY = [Dimension.HOST_COUNTRY, Dimension.OCCUPATION, Dimension.YEAR]
YEARS = list(range(2019, 2027))
CASE_SHARE = 0.05

HAND_WRITTEN = """
SELECT residence_country, primary_isco_code, registered,
       SUM(n) OVER w AS stock, SUM(foreign_trained) OVER w AS foreign_trained,
       SUM(foreign_born) OVER w AS foreign_born, SUM(listed) OVER w AS listed
FROM (
  SELECT residence_country, primary_isco_code,
         CAST(EXTRACT(YEAR FROM (created_at AT TIME ZONE 'UTC')) AS INTEGER) AS registered,
         COUNT(*) AS n,
         SUM(CASE WHEN primary_training_country <> residence_country THEN 1 ELSE 0 END)
           AS foreign_trained,
         SUM(CASE WHEN birth_country <> residence_country THEN 1 ELSE 0 END) AS foreign_born,
         SUM(CASE WHEN primary_training_country IN (SELECT country_code
               FROM safeguard_list_countries WHERE edition_year = 2023) THEN 1 ELSE 0 END)
           AS listed
  FROM professionals WHERE created_at < :until
  GROUP BY residence_country, primary_isco_code,
           CAST(EXTRACT(YEAR FROM (created_at AT TIME ZONE 'UTC')) AS INTEGER)
) AS by_year
WINDOW w AS (PARTITION BY residence_country, primary_isco_code ORDER BY registered)
"""


def add_cases(settings: Settings, share: float, seed: int = 7) -> int:
    """Recognition cases for a share of the professionals, in every status."""

    async def go() -> int:
        rng = random.Random(seed)
        engine = create_engine(settings)
        factory = create_session_factory(engine)
        async with factory() as session, session.begin():
            authority = Organisation(
                kind=OrganisationKind.COMPETENT_AUTHORITY, name="Bench authority", country="DE"
            )
            session.add(authority)
            await session.flush()
            people = (
                await session.execute(
                    select(Professional.id, Professional.primary_isco_code).where(
                        Professional.primary_isco_code.is_not(None)
                    )
                )
            ).all()
            chosen = [p for p in people if rng.random() < share]
            statuses = ["submitted", "under_review", "recognised", "refused", "withdrawn"]
            rows = []
            for pid, code in chosen:
                submitted = date(2019, 1, 1) + timedelta(days=rng.randint(0, 7 * 365))
                status = rng.choice(statuses)
                decided = submitted + timedelta(days=rng.randint(30, 200))
                now = utcnow()
                rows.append({
                    "id": uuid.uuid4(), "professional_id": pid, "host_country": "DE",
                    "authority_id": authority.id, "isco_code": code, "pathway": "national",
                    "status": status, "submitted_on": submitted,
                    "decided_on": decided if status in ("recognised", "refused") else None,
                    "deadline_extended": False, "version": 1, "created_at": now, "updated_at": now,
                })  # fmt: skip
            for start in range(0, len(rows), 5000):
                await session.execute(insert(RecognitionCase), rows[start : start + 5000])
        await engine.dispose()
        return len(rows)

    return asyncio.run(go())


def measure(settings: Settings, runs: int) -> tuple[list[float], list[float], int]:
    async def go() -> tuple[list[float], list[float], int]:
        engine = create_engine(settings)
        factory = create_session_factory(engine)
        async with factory() as session:
            catalog = await ReferenceCatalog.load(session)
        service, hand = [], []
        cells = 0
        spec = StatisticsFilter(years=YEARS)
        until = date(YEARS[-1] + 1, 1, 1)
        for _ in range(runs):
            async with factory() as session:
                started = time.perf_counter()
                result = await workforce_statistics(
                    session,
                    catalog,
                    Principal.system(),
                    spec,
                    GROUP_BY,
                    today=date(YEARS[-1], 12, 31),
                    min_cell=5,
                )
                service.append((time.perf_counter() - started) * 1000)
                cells = len(result)
            async with factory() as session:
                started = time.perf_counter()
                (await session.execute(text(HAND_WRITTEN), {"until": until})).all()
                hand.append((time.perf_counter() - started) * 1000)
        await engine.dispose()
        return service, hand, cells

    return asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--professionals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="reuse the data already loaded")
    args = parser.parse_args()
    settings = settings_for(args.database_url)
    if not args.keep:
        prepare(settings, reset=True)
        people, _, seconds = bulk_load(settings, args.professionals)
        cases = add_cases(settings, CASE_SHARE)
        print(f"loaded {people:,} professionals in {seconds:.0f}s and {cases:,} cases")
    backend = "sqlite" if settings.is_sqlite else "postgresql"
    people = count_professionals(settings)
    service, hand, cells = measure(settings, args.runs)
    ratio = percentile(service, 50) / percentile(hand, 50)
    print(
        f"statistics[{backend}] {people:,} professionals, host x occupation x year "
        f"({len(YEARS)} years, {cells:,} cells), {args.runs} runs:\n"
        f"  service (people + cases, Python cumulation): p50={percentile(service, 50):.0f}ms "
        f"p95={percentile(service, 95):.0f}ms\n"
        f"  hand-written SQL GROUP BY (people only):     p50={percentile(hand, 50):.0f}ms "
        f"p95={percentile(hand, 95):.0f}ms\n"
        f"  ratio p50 service / hand-written: {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
