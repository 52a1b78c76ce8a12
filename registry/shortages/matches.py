"""What placement needs from shortages: a shortage's ranked candidates, the shortages that
fit one person, and the gap between posts and candidates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry.auth.principal import Principal
from registry.credentials.models import Qualification
from registry.pagination import Page, PageRequest, build_keyed_page, decode_key
from registry.professionals.enums import LanguageLevel
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.recruitment.judging import load_rules
from registry.shortages.models import Shortage
from registry.shortages.ranking import (
    STATE_OF_POINTS,
    Candidate,
    CandidateQuery,
    CodeRules,
    matching_clause,
    standings,
)
from registry.shortages.scoring import (
    MAX_SCORE,
    OccupationFit,
    PersonFacts,
    PostFacts,
    Scored,
    WantedLanguage,
    fit_codes,
    score,
)
from registry.shortages.services import ShortageFilter, filter_clause, require_reader

Ts = TypeVarTuple("Ts")


def post_facts(shortage: Shortage) -> PostFacts:
    return PostFacts(
        shortage.host_country,
        shortage.isco_code,
        shortage.recognition_required,
        tuple(WantedLanguage(lang.language_code, lang.level) for lang in shortage.languages),
    )


@dataclass(frozen=True, eq=False)
class CandidatesRequest:
    """One shortage's candidates page, as a GraphQL field asks for it. Compared by identity:
    each field resolution is its own request."""

    shortage: Shortage
    page: PageRequest
    include_excluded: bool
    with_total: bool
    after: tuple[int, uuid.UUID] | None

    @classmethod
    def of(
        cls,
        shortage: Shortage,
        page: PageRequest,
        *,
        include_excluded: bool = False,
        with_total: bool = False,
    ) -> CandidatesRequest:
        """Refuses a cursor issued for another shortage or ordering (ValidationFailedError)."""
        after = None
        if page.after is not None:
            rank, person = decode_key(
                ordering(shortage, include_excluded), page.after, (int, uuid.UUID)
            )
            after = (rank, person)
        return cls(shortage, page, include_excluded, with_total, after)

    @property
    def ordering(self) -> str:
        return ordering(self.shortage, self.include_excluded)


def ordering(shortage: Shortage, include_excluded: bool) -> str:
    return f"candidates:{shortage.id}:{'all' if include_excluded else 'recruitable'}"


async def candidate_queries(
    session: AsyncSession, principal: Principal, shortages: Sequence[Shortage], today: date
) -> list[CandidateQuery]:
    """The ranking of each shortage, with the WHO Code rules of all their host countries
    read once."""
    rules = await load_rules(session, {s.host_country for s in shortages}, ())
    return [
        CandidateQuery(
            principal,
            post_facts(shortage),
            CodeRules.of(rules, shortage.host_country, shortage.isco_code, today),
            today,
        )
        for shortage in shortages
    ]


async def candidates(
    session: AsyncSession,
    principal: Principal,
    requests: Sequence[CandidatesRequest],
    *,
    today: date,
) -> list[Page[Candidate]]:
    """Each request's page, best first, ties by id; those the WHO Code excludes only when
    asked for. All pages come from one statement (and the totals, if any are asked for,
    from one more), however many shortages are asked about."""
    if not requests:
        return []
    queries = await candidate_queries(session, principal, [r.shortage for r in requests], today)
    languages = max(len(q.post.languages) for q in queries)
    pages = [
        query.page(r.include_excluded, r.after, r.page.first + 1, languages, name=f"base_{i}")
        for i, (query, r) in enumerate(zip(queries, requests, strict=True))
    ]
    rows_of: list[list[Any]] = [[] for _ in requests]
    for row in await session.execute(batched(pages)):
        rows_of[row.batch].append(row)
    totals: list[int | None] = [None] * len(requests)
    counted = [i for i, r in enumerate(requests) if r.with_total]
    if counted:
        counts = batched(
            [
                select(func.count().label("total"))
                .select_from(Professional)
                .where(queries[i].where(requests[i].include_excluded))
                for i in counted
            ],
            keys=counted,
        )
        for row in await session.execute(counts):
            totals[row.batch] = row.total
    return [
        build_keyed_page(
            [query.candidate(row) for row in sorted(rows, key=lambda r: (r.rank_key, r.id))],
            r.ordering,
            lambda c: (MAX_SCORE - c.sql_score, c.professional_id),
            r.page,
            total,
        )
        for query, r, rows, total in zip(queries, requests, rows_of, totals, strict=True)
    ]


async def gap(
    session: AsyncSession, principal: Principal, shortages: Sequence[Shortage], *, today: date
) -> list[tuple[int, int, int]]:
    """(ready now, after recognition, excluded by the Code) for each shortage, in one
    statement."""
    if not shortages:
        return []
    queries = await candidate_queries(session, principal, shortages, today)
    found: dict[int, tuple[int, int, int]] = {}
    for row in await session.execute(batched([q.gap() for q in queries])):
        found[row.batch] = (row.ready_now, row.after_recognition, row.excluded)
    return [found[i] for i in range(len(shortages))]


def batched(statements: Sequence[Select[*Ts]], keys: Sequence[int] | None = None) -> Any:
    """The statements' rows in one UNION ALL, each tagged with its position (or key) as
    ``batch``."""
    keys = list(range(len(statements))) if keys is None else list(keys)
    parts = []
    for key, statement in zip(keys, statements, strict=True):
        inner = statement.subquery()
        parts.append(select(literal(key).label("batch"), *inner.c))
    return parts[0] if len(parts) == 1 else union_all(*parts)


@dataclass(frozen=True, slots=True)
class Gap:
    host_country: str
    isco_code: str
    posts: int
    shortages: int
    ready_now: int
    after_recognition: int
    excluded: int

    @property
    def unfilled_after_ready(self) -> int:
        """Posts left if every candidate ready now took one."""
        return max(self.posts - self.ready_now, 0)


async def gaps(
    session: AsyncSession,
    principal: Principal,
    *,
    host_country: str | None,
    isco_code: str | None,
    today: date,
) -> list[Gap]:
    """Per host country x occupation with open shortages: the posts, and the visible
    candidates ready now (recognised or licensed there), after recognition, and excluded by
    the WHO Code. One statement for the posts, one for every pair's counts together."""
    require_reader(principal)
    spec = ShortageFilter(host_country, isco_code, today)
    pairs = (
        await session.execute(
            select(
                Shortage.host_country,
                Shortage.isco_code,
                func.sum(Shortage.posts),
                func.count(),
            )
            .where(filter_clause(spec))
            .group_by(Shortage.host_country, Shortage.isco_code)
            .order_by(Shortage.host_country, Shortage.isco_code)
            .limit(1000)
        )
    ).all()
    if not pairs:
        return []
    rules = await load_rules(session, {host for host, *_ in pairs}, ())
    counts = union_all(
        *(
            CandidateQuery(
                principal,
                PostFacts(host, code, True, ()),
                CodeRules.of(rules, host, code, today),
                today,
            )
            .gap()
            .add_columns(literal(i).label("pair"))
            for i, (host, code, *_) in enumerate(pairs)
        )
    )
    by_pair = {row.pair: row for row in (await session.execute(counts)).all()}
    return [
        Gap(
            host,
            code,
            int(posts),
            shortages,
            by_pair[i].ready_now,
            by_pair[i].after_recognition,
            by_pair[i].excluded,
        )
        for i, (host, code, posts, shortages) in enumerate(pairs)
    ]


@dataclass(frozen=True, slots=True)
class ShortageMatch:
    shortage: Shortage
    scored: Scored


async def matching_shortages(
    session: AsyncSession,
    principal: Principal,
    professional_id: uuid.UUID,
    request: PageRequest,
    *,
    today: date,
) -> Page[ShortageMatch] | None:
    """Open shortages this person fits, best first, ties by id; None when the caller may
    not see the person as a candidate. Scored in Python: one person's matches are few."""
    require_reader(principal)
    name = f"shortage-matches:{professional_id}"

    def key(m: ShortageMatch) -> tuple[int, str]:
        return (MAX_SCORE - m.scored.score, str(m.shortage.id))

    def cursor_key(m: ShortageMatch) -> tuple[int, uuid.UUID]:
        return (MAX_SCORE - m.scored.score, m.shortage.id)

    person = await session.scalar(
        select(Professional).where(Professional.id == professional_id, matching_clause(principal))
    )
    if person is None:
        return None
    own = person.primary_isco_code  # as the candidates' ranking matches people
    shortages = (
        list(
            await session.scalars(
                select(Shortage)
                .where(
                    Shortage.isco_code.in_(list(fit_codes(own))),
                    filter_clause(ShortageFilter(open_on=today)),
                )
                .options(selectinload(Shortage.languages))
                .limit(5000)
            )
        )
        if own is not None
        else []
    )
    if own is None or not shortages:  # no mapped credential, or nothing open that fits
        return build_keyed_page([], name, cursor_key, request, 0)
    trained = (
        await session.execute(
            select(Qualification.isco_code, Qualification.training_country).where(
                Qualification.professional_id == person.id, Qualification.isco_code.is_not(None)
            )
        )
    ).all()
    skills = await session.execute(
        select(LanguageSkill.language_code, LanguageSkill.level).where(
            LanguageSkill.professional_id == person.id
        )
    )
    languages: dict[str, LanguageLevel] = {row.language_code: row.level for row in skills}
    citizenships = list(
        await session.scalars(
            select(Citizenship.country_code).where(Citizenship.professional_id == person.id)
        )
    )
    rows = standings(today, person=person.id)
    points = {
        (country, code): value
        for country, code, value in await session.execute(
            select(rows.c.country, rows.c.isco_code, func.max(rows.c.points)).group_by(
                rows.c.country, rows.c.isco_code
            )
        )
    }
    rules = await load_rules(session, {s.host_country for s in shortages}, ())
    matches = []
    for shortage in shortages:
        fits = fit_codes(shortage.isco_code)
        code = CodeRules.of(rules, shortage.host_country, shortage.isco_code, today)
        best = max((points.get((shortage.host_country, c), 0) for c in fits), default=0)
        facts = PersonFacts(
            occupation=OccupationFit.SAME if shortage.isco_code == own else OccupationFit.CLOSE,
            trained_as=own,
            recognition=STATE_OF_POINTS[best],
            languages=languages,
            residence_country=person.residence_country,
            code_status=code.status(
                shortage.host_country,
                person.residence_country,
                citizenships,
                sorted({country for c, country in trained if c in fits}),
            ),
            consent=person.consent_to_placement,
        )
        matches.append(ShortageMatch(shortage, score(post_facts(shortage), facts)))
    matches.sort(key=key)
    if request.after is not None:
        after_rank, after_id = decode_key(name, request.after, (int, uuid.UUID))
        matches = [m for m in matches if key(m) > (after_rank, str(after_id))]
    return build_keyed_page(matches[: request.first + 1], name, cursor_key, request, len(shortages))


async def profiles(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Professional]:
    """People as candidates: only those the caller may see for matching."""
    require_reader(principal)
    found = await session.scalars(
        select(Professional).where(Professional.id.in_(ids), matching_clause(principal))
    )
    return {p.id: p for p in found}
