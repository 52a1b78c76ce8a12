"""PostgreSQL stopped in the middle of a load, then started again; then SIGTERM during
requests. Demonstrates, with figures:

- while the database is down, requests fail fast (503 "unavailable" at the door, or a
  GraphQL error with code UNAVAILABLE) within the configured timeout, and /healthz says
  the database is down;
- when it returns, the same server process serves again, without a restart;
- no acknowledged write is lost and no write is half-done (every record with its audit
  event, every audit event with its record);
- SIGTERM lets in-flight requests finish and the process exits cleanly.

    python -m bench.faults --database-url postgresql://postgres@127.0.0.1/bench_faults

It stops and starts the local cluster with pg_ctlcluster (run it as root or postgres, on
a machine whose PostgreSQL you may stop).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.common import bulk_load, issue_tokens, percentile, prepare, server_process, settings_for
from bench.load import Client, Ledger, report_writes, run_clients, seed_ids
from registry.auth.models import Role

DB_TIMEOUT = "2"
REQUEST_TIMEOUT = "5"


def cluster(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
    )


class Phase:
    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes: Counter[str] = Counter()
        self.latencies: list[float] = []


async def probe(client: Client, phase: Phase, n: int) -> None:
    """One request of the mix, classified by what the caller sees."""
    started = time.perf_counter()
    await client.step(n)
    phase.latencies.append((time.perf_counter() - started) * 1000)
    last = client.last_error
    if last is None:
        phase.outcomes["ok"] += 1
    elif "HTTP 503" in last or "'UNAVAILABLE'" in last:
        phase.outcomes["unavailable (503 or UNAVAILABLE)"] += 1
    else:
        phase.outcomes[f"other: {last[:120]}"] += 1


async def drive(
    base: str, tokens: list[str], ids: list[str], ledger: Ledger, phase: Phase, seconds: float
) -> None:
    async def step(client: Client, n: int) -> None:
        await probe(client, phase, n)

    await run_clients(base, tokens, ids, seconds, ledger, step)


async def health(base: str) -> tuple[int, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.get("/healthz")
        return response.status_code, response.json()


def show(phase: Phase) -> None:
    worst = max(phase.latencies, default=0.0)
    print(
        f"  {phase.name}: {sum(phase.outcomes.values())} requests, "
        f"p50={percentile(phase.latencies, 50):.0f}ms p99={percentile(phase.latencies, 99):.0f}ms "
        f"max={worst:.0f}ms"
    )
    for outcome, count in phase.outcomes.most_common():
        print(f"    {count:6} {outcome}")


async def scenario(base: str, tokens: list[str], ids: list[str], ledger: Ledger) -> None:
    healthy = Phase("before the outage")
    await drive(base, tokens, ids, ledger, healthy, 10)
    show(healthy)
    outage = Phase(f"PostgreSQL stopped (timeouts: database {DB_TIMEOUT} s)")
    cluster("stop")
    try:
        await drive(base, tokens, ids, ledger, outage, 10)
        status = await health(base)
    finally:
        cluster("start")
    show(outage)
    print(f"  /healthz while down: {status[0]} {status[1]}")
    started = time.monotonic()
    while (await health(base))[0] != 200:  # noqa: ASYNC110 - polling a remote server
        await asyncio.sleep(0.2)
    waited = time.monotonic() - started
    print(f"  /healthz up again {waited:.1f} s after the cluster started")
    recovered = Phase("after the restart (same server process)")
    await drive(base, tokens, ids, ledger, recovered, 10)
    show(recovered)


async def in_flight(base: str, tokens: list[str], ids: list[str], process: Any) -> None:
    """Starts requests, sends SIGTERM while they run, and counts how they ended."""
    ledger = Ledger()
    phase = Phase("SIGTERM with requests in flight")

    async def one(number: int, token: str) -> None:
        async with httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http:
            await probe(Client(number, http, ledger, ids), phase, number)

    tasks = [asyncio.create_task(one(i, t)) for i, t in enumerate(tokens)]
    # Let every request reach the server first: a request takes about 0.5 s here. A
    # connection whose request has not arrived yet is idle, and uvicorn closes idle
    # connections at shutdown (with 0.05 s, 5 of 20 were refused that way).
    await asyncio.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    await asyncio.gather(*tasks)
    code = await asyncio.to_thread(process.wait, 60)
    show(phase)
    print(f"  server exit code after SIGTERM: {code}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    settings = settings_for(args.database_url)
    prepare(settings, reset=True)
    bulk_load(settings, 2000)
    tokens = asyncio.run(issue_tokens(settings, Role.ADMIN, args.clients))
    ids = asyncio.run(seed_ids(settings, 500))
    ledger = Ledger()
    environment = {
        "REGISTRY_RATE_LIMIT": "1000000/minute",
        "REGISTRY_DB_TIMEOUT": DB_TIMEOUT,
        "REGISTRY_REQUEST_TIMEOUT": REQUEST_TIMEOUT,
    }
    print(f"faults: {args.clients} clients, mixed reads and writes, production mode")
    with server_process(args.database_url, environment) as (_, base):
        asyncio.run(scenario(base, tokens, ids, ledger))
    report_writes(settings, ledger, "acknowledged over the three phases")
    with server_process(args.database_url, environment) as (process, base):
        asyncio.run(in_flight(base, tokens, ids, process))


if __name__ == "__main__":
    main()
