"""`registry map-titles`: needs no database, and its start-up counts in its throughput."""

from __future__ import annotations

import argparse
import sys

from matching.batch import InputError, map_csv
from matching.titles import TitleMatcher, collector_paused
from registry.cli import open_output
from registry.settings import Settings


def cmd_map_titles(settings: Settings, args: argparse.Namespace) -> int:
    def progress(rows: int) -> None:
        print(f"\r{rows:,} titles mapped", end="", file=sys.stderr, flush=True)

    matcher = TitleMatcher()
    with collector_paused(), args.input as source, open_output(args.output) as target:
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
