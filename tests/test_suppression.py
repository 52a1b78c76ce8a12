"""Disclosure control on hand-made tables: what is withheld and why."""

from __future__ import annotations

from registry.statistics.suppression import Cells, suppress

SUBS = {"foreign_born": "stock"}


def table(**cells: tuple[int, int]) -> Cells:
    """Cells keyed (row, column) from names like ``DE_nurses=(stock, foreign_born)``."""
    out: Cells = {}
    for name, (stock, born) in cells.items():
        row, column = name.split("_")
        out[(row, column)] = {"stock": stock, "foreign_born": born}
    return out


def withheld(cells: Cells) -> set[tuple[object, ...]]:
    return {key for key, values in cells.items() if values["stock"] is None}


def test_nothing_small_nothing_withheld() -> None:
    cells = table(DE_nurses=(10, 5), DE_doctors=(8, 0), FR_nurses=(12, 6), FR_doctors=(9, 9))
    assert suppress(cells, ["stock", "foreign_born"], SUBS, 5) == cells


def test_a_small_cell_and_its_line_partners_are_withheld() -> None:
    cells = table(DE_nurses=(10, 5), DE_doctors=(3, 0), FR_nurses=(12, 6), FR_doctors=(9, 9))
    out = suppress(cells, ["stock"], SUBS, 5)
    # DE doctors (3) is small; DE's row total would reveal it unless DE nurses goes too,
    # and then the doctors' and nurses' columns need a second cell each: FR's.
    assert withheld(out) == set(cells)


def test_secondary_picks_the_smallest_partner() -> None:
    cells = table(
        DE_nurses=(40, 0), DE_doctors=(2, 0), DE_midwives=(7, 0),
        FR_nurses=(30, 0), FR_doctors=(20, 0), FR_midwives=(9, 0),
    )  # fmt: skip
    out = suppress(cells, ["stock"], {}, 5)
    assert ("DE", "doctors") in withheld(out)
    assert ("DE", "midwives") in withheld(out)  # 7 < 40: the smallest partner in DE's row
    assert ("DE", "nurses") not in withheld(out)
    # Each withheld column cell has a withheld partner in its column as well.
    for column in ("doctors", "midwives"):
        assert sum(("FR", column) == k or ("DE", column) == k for k in withheld(out)) == 2


def test_zero_is_never_withheld_and_never_protects() -> None:
    cells = table(DE_nurses=(0, 0), DE_doctors=(2, 0))
    out = suppress(cells, ["stock"], {}, 5)
    assert out[("DE", "nurses")]["stock"] == 0
    assert out[("DE", "doctors")]["stock"] is None


def test_a_sub_count_is_withheld_when_it_or_its_complement_is_small() -> None:
    cells = table(DE_nurses=(20, 2), DE_doctors=(20, 19), FR_nurses=(20, 10), FR_doctors=(20, 0))
    out = suppress(cells, ["stock", "foreign_born"], SUBS, 5)
    assert out[("DE", "nurses")]["foreign_born"] is None  # two people
    assert out[("DE", "doctors")]["foreign_born"] is None  # all but one
    assert out[("FR", "doctors")]["foreign_born"] == 0
    assert all(values["stock"] == 20 for values in out.values())


def test_a_withheld_stock_withholds_the_whole_cell() -> None:
    cells = table(DE_nurses=(3, 0), DE_doctors=(30, 12))
    out = suppress(cells, ["stock", "foreign_born"], SUBS, 5)
    assert out[("DE", "nurses")] == {"stock": None, "foreign_born": None}


def test_k_is_a_setting() -> None:
    cells = table(DE_nurses=(3, 0), FR_nurses=(30, 0))
    assert suppress(cells, ["stock"], {}, 3) == cells
    assert withheld(suppress(cells, ["stock"], {}, 4)) == set(cells)
