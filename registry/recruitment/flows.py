"""The recruitment pipeline: one transition table."""

from __future__ import annotations

from collections.abc import Mapping

from registry.recruitment.enums import RecruitmentStatus as S

TRANSITIONS: Mapping[S, frozenset[S]] = {
    S.PROPOSED: frozenset({S.OFFERED, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.ACCEPTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.VISA, S.WITHDRAWN}),
    S.VISA: frozenset({S.ARRIVED, S.WITHDRAWN}),
    S.ARRIVED: frozenset({S.EMPLOYED, S.WITHDRAWN}),
    S.EMPLOYED: frozenset({S.ENDED}),
    S.ENDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
