"""50 concurrent clients, mixed reads and writes, for 60 s against `registry serve`
(production mode, its own process, loopback only) on PostgreSQL. Afterwards every
acknowledged write is checked in the database and in the audit log: no lost update, no
orphan. Prints throughput, p50/p95/p99 and the counts.

    python -m bench.load --database-url postgresql://postgres@127.0.0.1/bench_load

Each client has its own admin token (the per-token rate limit is raised for the run) and
edits only the records it created, so a version conflict here would be a lost update.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, select

from bench.common import (
    bulk_load,
    issue_tokens,
    percentile,
    prepare,
    server_process,
    settings_for,
)
from registry.audit.models import AuditEvent
from registry.auth.models import Role
from registry.credentials.models import Qualification
from registry.db import create_engine, create_session_factory
from registry.professionals.models import Professional
from registry.settings import Settings
from schema.ids import from_global_id

LIST = """{ professionals(first: 20) { edges { node { id familyName
  qualifications { originalTitle occupation { iscoCode } } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on Professional { familyName version } } }"
REGISTER = """mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) {
  __typename ... on ProfessionalRegistered { professional { id version } } } }"""
UPDATE = """mutation($input: UpdateProfessionalInput!) { updateProfessional(input: $input) {
  __typename ... on ProfessionalUpdated { professional { version } } } }"""
ADD = """mutation($input: AddQualificationInput!) { addQualification(input: $input) {
  __typename ... on QualificationAdded { qualification { id } } } }"""


@dataclass
class Ledger:
    """What the server acknowledged, to check afterwards."""

    registered: dict[uuid.UUID, int] = field(default_factory=dict)  # id -> acked version
    updates: Counter[uuid.UUID] = field(default_factory=Counter)
    qualifications: set[uuid.UUID] = field(default_factory=set)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)


class Client:
    def __init__(self, number: int, http: httpx.AsyncClient, ledger: Ledger, seed_ids: list[str]):
        self.rng = random.Random(number)
        self.http = http
        self.ledger = ledger
        self.seed_ids = seed_ids
        self.mine: list[tuple[str, int]] = []  # (global id, version) of what it registered
        self.number = number
        self.last_error: str | None = None  # of the latest call

    async def call(self, kind: str, query: str, **variables: Any) -> dict[str, Any] | None:
        started = time.perf_counter()
        self.last_error = None
        try:
            response = await self.http.post(
                "/graphql", json={"query": query, "variables": variables}
            )
        except httpx.TransportError as exc:
            self.last_error = f"{kind}: {type(exc).__name__}"
            self.ledger.errors[self.last_error] += 1
            return None
        self.ledger.latencies[kind].append((time.perf_counter() - started) * 1000)
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if response.status_code != 200 or body.get("errors"):
            self.last_error = f"{kind}: HTTP {response.status_code} {body.get('errors') or body}"
            self.ledger.errors[self.last_error[:200]] += 1
            return None
        data: dict[str, Any] = body["data"]
        return data

    async def step(self, n: int) -> None:
        roll = self.rng.random()
        if roll < 0.40:
            await self.call("list", LIST)
        elif roll < 0.55:
            await self.call("node", NODE, id=self.rng.choice(self.seed_ids))
        elif roll < 0.75 or not self.mine:
            data = await self.call("register", REGISTER, input=self._person(n))
            if data and data["registerProfessional"]["__typename"] == "ProfessionalRegistered":
                p = data["registerProfessional"]["professional"]
                self.mine.append((p["id"], p["version"]))
                self.ledger.registered[from_global_id(p["id"])[1]] = p["version"]
            elif data:
                self.ledger.errors[f"register: {data['registerProfessional']['__typename']}"] += 1
        elif roll < 0.90:
            index = self.rng.randrange(len(self.mine))
            pid, version = self.mine[index]
            data = await self.call(
                "update", UPDATE, input={"id": pid, "version": version, "givenNames": f"G{n}"}
            )
            if data and data["updateProfessional"]["__typename"] == "ProfessionalUpdated":
                new = data["updateProfessional"]["professional"]["version"]
                self.mine[index] = (pid, new)
                key = from_global_id(pid)[1]
                self.ledger.updates[key] += 1
                self.ledger.registered[key] = new
            elif data:
                self.ledger.errors[f"update: {data['updateProfessional']['__typename']}"] += 1
        else:
            pid, _ = self.rng.choice(self.mine)
            data = await self.call(
                "add qualification",
                ADD,
                input={
                    "professionalId": pid,
                    "kind": "BASIC_DEGREE",
                    "originalTitle": "Licenciada en Enfermería",
                    "titleLanguage": "es",
                    "trainingCountry": "VE",
                    "evidenceLevel": "PARTIAL",
                },
            )
            if data and data["addQualification"]["__typename"] == "QualificationAdded":
                self.ledger.qualifications.add(
                    from_global_id(data["addQualification"]["qualification"]["id"])[1]
                )
            elif data:
                self.ledger.errors[f"add: {data['addQualification']['__typename']}"] += 1

    def _person(self, n: int) -> dict[str, Any]:
        return {
            "familyName": f"Load{self.number}x{n}",
            "givenNames": "Test",
            "birthDate": (date(1960, 1, 1) + timedelta(days=self.rng.randrange(14000))).isoformat(),
            "sex": self.rng.choice(["FEMALE", "MALE"]),
            "birthCountry": self.rng.choice(["SY", "AF", "UA", "VE", "ER"]),
            "residenceCountry": "DE",
            "protectionStatus": "REFUGEE",
            "allowPossibleDuplicate": True,
        }


async def run_clients(
    base: str,
    tokens: list[str],
    seed_ids: list[str],
    seconds: float,
    ledger: Ledger,
    step: Callable[[Client, int], Awaitable[None]] | None = None,
) -> float:
    """One client a token, each running ``step`` (by default the mix) until the time is up."""
    deadline = time.monotonic() + seconds

    async def client_loop(number: int, token: str) -> None:
        async with httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http:
            client = Client(number, http, ledger, seed_ids)
            n = 0
            while time.monotonic() < deadline:
                await (step(client, n) if step else client.step(n))
                n += 1

    started = time.monotonic()
    await asyncio.gather(*(client_loop(i, t) for i, t in enumerate(tokens)))
    return time.monotonic() - started


async def verify(settings: Settings, ledger: Ledger) -> dict[str, int]:
    """Every acknowledged write in the database at the acknowledged version, each with
    its audit events; every audit event of a registration pointing at a record."""
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        rows = await session.execute(
            select(Professional.id, Professional.version).where(
                Professional.id.in_(list(ledger.registered))
            )
        )
        versions = {row.id: row.version for row in rows}
        audited: Counter[tuple[str, str]] = Counter()
        for action, entity in await session.execute(
            select(AuditEvent.action, AuditEvent.entity_id).where(
                AuditEvent.action.in_(
                    ["professional.registered", "professional.updated", "qualification.added"]
                )
            )
        ):
            audited[(action, entity)] += 1
        qualifications = set(
            await session.scalars(
                select(Qualification.id).where(Qualification.id.in_(list(ledger.qualifications)))
            )
        )
        registered_events = [e for (a, e) in audited if a == "professional.registered"]
        existing = {
            str(i)
            for i in await session.scalars(
                select(Professional.id).where(
                    Professional.id.in_([uuid.UUID(e) for e in registered_events])
                )
            )
        }
        total = await session.scalar(select(func.count()).select_from(Professional))
    await engine.dispose()
    return {
        "professionals in the database": int(total or 0),
        "lost registrations": sum(1 for i in ledger.registered if i not in versions),
        "lost updates (version differs from the last acknowledged)": sum(
            1 for i, v in ledger.registered.items() if versions.get(i) != v
        ),
        "registrations without their audit event": sum(
            1 for i in ledger.registered if audited[("professional.registered", str(i))] != 1
        ),
        "updates without their audit event": sum(
            1 for i, n in ledger.updates.items() if audited[("professional.updated", str(i))] != n
        ),
        "lost qualifications": len(ledger.qualifications - qualifications),
        "qualifications without their audit event": sum(
            1 for q in ledger.qualifications if audited[("qualification.added", str(q))] != 1
        ),
        "orphan audit events (registration without a record)": len(
            set(registered_events) - existing
        ),
    }


def report(ledger: Ledger, elapsed: float, clients: int) -> None:
    everything = [x for values in ledger.latencies.values() for x in values]
    print(
        f"load: {clients} clients, {elapsed:.0f} s, {len(everything):,} requests = "
        f"{len(everything) / elapsed:,.0f} requests/s, errors {sum(ledger.errors.values())}"
    )
    for kind, values in sorted(ledger.latencies.items()):
        print(
            f"  {kind:18} n={len(values):6,} p50={percentile(values, 50):7.1f}ms "
            f"p95={percentile(values, 95):7.1f}ms p99={percentile(values, 99):7.1f}ms"
        )
    print(
        f"  {'all':18} n={len(everything):6,} p50={percentile(everything, 50):7.1f}ms "
        f"p95={percentile(everything, 95):7.1f}ms p99={percentile(everything, 99):7.1f}ms"
    )
    for error, count in ledger.errors.most_common(10):
        print(f"  error x{count}: {error}")


async def seed_ids(settings: Settings, count: int) -> list[str]:
    from schema.ids import to_global_id

    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        ids = list(await session.scalars(select(Professional.id).limit(count)))
    await engine.dispose()
    return [to_global_id("Professional", i) for i in ids]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--professionals", type=int, default=5000, help="seeded before the run")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    settings = settings_for(args.database_url)
    prepare(settings, reset=True)
    bulk_load(settings, args.professionals)
    tokens = asyncio.run(issue_tokens(settings, Role.ADMIN, args.clients))
    ids = asyncio.run(seed_ids(settings, 1000))
    ledger = Ledger()
    environment = {"REGISTRY_RATE_LIMIT": "1000000/minute"}
    with server_process(args.database_url, environment, workers=args.workers) as (_, base):
        elapsed = asyncio.run(run_clients(base, tokens, ids, args.seconds, ledger))
    report(ledger, elapsed, args.clients)
    report_writes(settings, ledger, "acknowledged")


def report_writes(settings: Settings, ledger: Ledger, heading: str) -> None:
    """Prints what was acknowledged, then checks every acknowledged write in the database
    and in the audit log."""
    checks = asyncio.run(verify(settings, ledger))
    print(
        f"  {heading}: {len(ledger.registered):,} registrations, "
        f"{sum(ledger.updates.values()):,} updates, {len(ledger.qualifications):,} qualifications"
    )
    for name, value in checks.items():
        print(f"  {name}: {value:,}")


if __name__ == "__main__":
    main()
