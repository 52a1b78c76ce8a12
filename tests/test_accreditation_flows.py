"""The state machines and the deadline arithmetic, as tables written by hand from the
rules (not derived from the code's own tables, so a wrong edge fails here)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from itertools import product

import pytest

from registry.accreditation.enums import CaseStatus, LicenceStatus, VerificationStatus
from registry.accreditation.flows import (
    CASE_TRANSITIONS,
    LICENCE_TRANSITIONS,
    VERIFICATION_TRANSITIONS,
    add_months,
    decision_due,
    interview_review_date,
)
from registry.transitions import IllegalTransitionError, require_transition

C = CaseStatus
CASE_LEGAL = {
    (C.SUBMITTED, C.UNDER_REVIEW),
    (C.SUBMITTED, C.WITHDRAWN),
    (C.UNDER_REVIEW, C.COMPENSATION_REQUIRED),
    (C.UNDER_REVIEW, C.RECOGNISED),
    (C.UNDER_REVIEW, C.CONDITIONALLY_RECOGNISED),
    (C.UNDER_REVIEW, C.REFUSED),
    (C.UNDER_REVIEW, C.WITHDRAWN),
    (C.COMPENSATION_REQUIRED, C.RECOGNISED),
    (C.COMPENSATION_REQUIRED, C.CONDITIONALLY_RECOGNISED),
    (C.COMPENSATION_REQUIRED, C.REFUSED),
    (C.COMPENSATION_REQUIRED, C.WITHDRAWN),
    (C.CONDITIONALLY_RECOGNISED, C.RECOGNISED),
}
L = LicenceStatus
LICENCE_LEGAL = {
    (L.ACTIVE, L.SUSPENDED),
    (L.ACTIVE, L.EXPIRED),
    (L.ACTIVE, L.REVOKED),
    (L.ACTIVE, L.LAPSED),
    (L.SUSPENDED, L.ACTIVE),
    (L.SUSPENDED, L.EXPIRED),
    (L.SUSPENDED, L.REVOKED),
}
V = VerificationStatus
VERIFICATION_LEGAL = {
    (V.IN_PROCESS, V.VALIDATED),
    (V.IN_PROCESS, V.ATTESTED),
    (V.IN_PROCESS, V.VALIDATION_FAILED),
    (V.VALIDATED, V.REVALIDATION_REQUIRED),
    (V.ATTESTED, V.REVALIDATION_REQUIRED),
    (V.REVALIDATION_REQUIRED, V.VALIDATED),
    (V.REVALIDATION_REQUIRED, V.ATTESTED),
    (V.REVALIDATION_REQUIRED, V.REVALIDATION_FAILED),
    (V.VALIDATION_FAILED, V.IN_PROCESS),
    (V.REVALIDATION_FAILED, V.IN_PROCESS),
}

MACHINES = [
    ("case", CaseStatus, CASE_TRANSITIONS, CASE_LEGAL),
    ("licence", LicenceStatus, LICENCE_TRANSITIONS, LICENCE_LEGAL),
    ("verification", VerificationStatus, VERIFICATION_TRANSITIONS, VERIFICATION_LEGAL),
]
PAIRS = [
    pytest.param(table, legal, a, b, id=f"{name}:{a.value}->{b.value}")
    for name, enum, table, legal in MACHINES
    for a, b in product(list(enum), repeat=2)
]


@pytest.mark.parametrize(("table", "legal", "current", "wanted"), PAIRS)
def test_every_move_is_legal_or_refused_with_the_allowed_moves(
    table: dict[StrEnum, frozenset[StrEnum]],
    legal: set[tuple[StrEnum, StrEnum]],
    current: StrEnum,
    wanted: StrEnum,
) -> None:
    if (current, wanted) in legal:
        require_transition("x", table, current, wanted)
        return
    with pytest.raises(IllegalTransitionError) as raised:
        require_transition("x", table, current, wanted)
    expected = sorted(b.value for a, b in legal if a == current)
    assert raised.value.allowed == expected
    assert (raised.value.current, raised.value.wanted) == (current.value, wanted.value)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # clamped to February's end
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year end
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2027, 2, 28), 1, date(2027, 3, 28)),  # an extension after a clamp
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_decision_is_due_three_months_after_the_file_is_complete() -> None:
    assert decision_due(date(2026, 11, 30)) == date(2027, 2, 28)


def test_interview_outcome_stands_five_years() -> None:
    assert interview_review_date(date(2024, 2, 29)) == date(2029, 2, 28)
