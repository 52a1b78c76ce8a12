"""Statistical disclosure control for researchers' tables. Pure.

Primary: a count from 1 to k-1 is withheld, and so is a sub-count whose complement within
its cell (stock minus it) is from 1 to k-1, which would reveal the few who are not in it.
Secondary: in every line of the table (cells equal in all dimensions but one), one
withheld count could be recovered from the line's total, which another query returns; so
while a line has exactly one withheld count, the smallest other non-zero count in it is
withheld too. Zero is never withheld: an empty cell discloses no one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence

Key = tuple[Hashable, ...]
Cells = dict[Key, dict[str, int | None]]


def suppress(cells: Cells, measures: Sequence[str], sub_counts: dict[str, str], k: int) -> Cells:
    """Returns a copy with withheld counts set to None. ``sub_counts`` maps a measure to
    the measure it is part of (``{"foreign_born": "stock"}``); a cell whose stock is
    withheld is withheld whole."""
    out = {key: dict(values) for key, values in cells.items()}
    for values in out.values():
        for m in measures:
            v = values.get(m)
            whole = values.get(sub_counts.get(m, ""))
            if v is not None and (_small(v, k) or (whole is not None and _small(whole - v, k))):
                values[m] = None
    while True:
        before = _withheld(out)
        _cascade(out, measures)
        for m in measures:
            _secondary(out, cells, m)
        if _withheld(out) == before:
            return out


def _withheld(cells: Cells) -> int:
    return sum(v is None for values in cells.values() for v in values.values())


def _cascade(cells: Cells, measures: Sequence[str]) -> None:
    for values in cells.values():
        if "stock" in values and values["stock"] is None:
            for m in measures:
                values[m] = None


def _small(value: int, k: int) -> bool:
    return 0 < value < k


def _secondary(out: Cells, original: Cells, measure: str) -> None:
    keys = list(out)
    width = len(keys[0]) if keys else 0
    changed = True
    while changed:
        changed = False
        for dim in range(width):
            lines: dict[Key, list[Key]] = defaultdict(list)
            for key in keys:
                lines[key[:dim] + key[dim + 1 :]].append(key)
            for members in lines.values():
                if _protect_line(out, original, measure, members):
                    changed = True
        if width == 0:
            return


def _protect_line(out: Cells, original: Cells, measure: str, members: list[Key]) -> bool:
    withheld = [k for k in members if out[k].get(measure) is None and original[k].get(measure)]
    if len(withheld) != 1:
        return False
    candidates = [
        k
        for k in members
        if out[k].get(measure) is not None and (original[k].get(measure) or 0) > 0
    ]
    if not candidates:
        return False
    smallest = min(candidates, key=lambda k: (original[k][measure] or 0, str(k)))
    out[smallest][measure] = None
    return True
