"""Streaming CSV mapping for ``registry map-titles``: constant memory, one row at a time."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import TextIO

from matching.titles import MatchStatus, TitleMatcher

OUTPUT_COLUMNS = ("status", "isco_code", "isco_title", "score", "matched_alias", "candidates")


class InputError(ValueError):
    pass


def map_csv(
    matcher: TitleMatcher,
    source: TextIO,
    target: TextIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[MatchStatus, int]:
    reader = csv.DictReader(source)
    if reader.fieldnames is None or "title" not in reader.fieldnames:
        raise InputError("the input needs a header row with a 'title' column")
    fieldnames = list(reader.fieldnames) + [c for c in OUTPUT_COLUMNS if c not in reader.fieldnames]
    writer = csv.DictWriter(target, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    counts = dict.fromkeys(MatchStatus, 0)
    occupations = matcher.table.occupations
    for number, row in enumerate(reader, start=1):
        result = matcher.match(row.get("title") or "", row.get("language"), row.get("country"))
        best = result.best if result.status is MatchStatus.MATCHED else None
        row.update(
            status=result.status.value,
            isco_code=best.isco_code if best else "",
            isco_title=occupations[best.isco_code].title if best else "",
            score=f"{best.score:.1f}" if best else "",
            matched_alias=best.alias if best else "",
            candidates=";".join(f"{c.isco_code}:{c.score:.1f}" for c in result.candidates),
        )
        writer.writerow(row)
        counts[result.status] += 1
        if progress is not None and number % 10_000 == 0:
            progress(number)
    return counts
