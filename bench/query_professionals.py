"""`professionals(first: 50, filter: ...)` with nested qualifications, over HTTP.

Prints p50/p95 latency per filter and the SQL statements each request issues (the
count must not grow with the page size). Load data first with bench.load_professionals.

    python -m bench.query_professionals --database-url sqlite:///./bench.db
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx2 as httpx

from bench.common import (
    count_professionals,
    issue_token,
    live_server,
    post_graphql,
    settings_for,
    summary,
)
from registry.auth.models import Role

QUERY = """
query($first: Int!, $filter: ProfessionalFilterInput) {
  professionals(first: $first, filter: $filter) {
    totalCount
    edges { node { id familyName givenNames residenceCountry { code }
      qualifications { originalTitle kind trainingCountry { code }
        occupation { iscoCode title } } } }
  }
}
"""
FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "residence DE + nurses": {"residenceCountries": ["DE"], "occupations": ["2221"]},
    "trained in SY or AF": {"trainingCountries": ["SY", "AF"]},
    "German B2+": {"languages": [{"code": "de", "minLevel": "B2"}]},
    "refugees, doctors (221)": {"protectionStatuses": ["REFUGEE"], "occupations": ["221"]},
    "name 'haddad'": {"name": "haddad"},
    "citizens of UA in PL": {"citizenships": ["UA"], "residenceCountries": ["PL"]},
}


async def run(url: str, requests: int, total: int) -> None:
    settings = settings_for(url)
    token = await issue_token(settings, Role.ADMIN)
    backend = "sqlite" if settings.is_sqlite else "postgresql"
    print(
        f"query[{backend}]: {total:,} professionals in the database, {requests} requests per filter"
    )
    async with (
        live_server(settings) as (base, counter),
        httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client,
    ):
        for first in (5, 50):
            counter.count = 0
            await post(client, first, {})
            print(f"  statements per request, first={first}: {counter.count}")
        for name, spec in FILTERS.items():
            latencies: list[float] = []
            counter.count = 0
            for _ in range(requests):
                started = time.perf_counter()
                await post(client, 50, spec)
                latencies.append((time.perf_counter() - started) * 1000)
            per_request = counter.count / requests
            print(f"  {name:28} {summary(latencies)} statements/request={per_request:.0f}")


async def post(client: httpx.AsyncClient, first: int, spec: dict[str, Any]) -> None:
    await post_graphql(client, QUERY, first=first, filter=spec)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    total = count_professionals(settings_for(args.database_url))
    asyncio.run(run(args.database_url, args.requests, total))


if __name__ == "__main__":
    main()
