"""Candidates for a shortage, retrieved and ordered in SQL across the whole registry, and
the shortages that fit one person. Both score with the value tables of ``scoring.py``:
the SQL here evaluates them for ordering, ``scoring.score`` explains each result.

A candidates page is one statement whatever its size: the row carries every fact the
explanation needs (occupation fit, recognition state, the person's level in each wanted
language, residence, WHO Code status, consent).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Subquery

from registry.accreditation.enums import CaseStatus, LicenceStatus
from registry.accreditation.models import Licence, RecognitionCase
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.credentials.models import Qualification
from registry.errors import PermissionDeniedError
from registry.professionals import access as professional_access
from registry.professionals.enums import LanguageLevel
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.recruitment.compliance import edition_in_force
from registry.recruitment.enums import TestedCountryBasis
from registry.recruitment.judging import Rules
from registry.shortages.enums import CodeStatus
from registry.shortages.scoring import (
    CODE_VALUES,
    MAX_SCORE,
    OCCUPATION_VALUES,
    RECOGNITION_VALUES,
    WEIGHTS,
    OccupationFit,
    PersonFacts,
    PostFacts,
    RecognitionState,
    Scored,
    fit_codes,
    language_points,
    score,
)

Ts = TypeVarTuple("Ts")

LANGUAGE_MAX = 100 * WEIGHTS["language"]
STATE_OF_POINTS = {points: state for state, points in RECOGNITION_VALUES.items()}
assert len(STATE_OF_POINTS) == len(RECOGNITION_VALUES), "each state needs its own value"
OPEN_CASE = (CaseStatus.SUBMITTED, CaseStatus.UNDER_REVIEW, CaseStatus.COMPENSATION_REQUIRED)
POSITIVE_CASE = (CaseStatus.RECOGNISED, CaseStatus.CONDITIONALLY_RECOGNISED)


def matching_clause(principal: Principal) -> ColumnElement[bool]:
    """Whom a caller may see as a candidate: agencies and employers only people who consent
    to be shown to them; an authority the people whose records it holds; an admin all."""
    if principal.role is Role.ADMIN:
        return true()
    if principal.role is Role.PLACEMENT_AGENCY:
        if principal.organisation_id is None:
            raise PermissionDeniedError(
                "a placement agency token must be scoped to an organisation"
            )
        return Professional.consent_to_placement.is_(True)
    return professional_access.readable_clause(principal)


@dataclass(frozen=True, slots=True)
class CodeRules:
    """What the WHO Code says of recruiting for one host country and occupation on a day."""

    basis: TestedCountryBasis
    in_force: bool
    excluded: frozenset[str]  # listed, no agreement covers them
    agreed: frozenset[str]  # listed, an agreement covers them

    @classmethod
    def of(cls, rules: Rules, host: str, isco_code: str, on: date) -> CodeRules:
        edition = edition_in_force(rules.editions, on)
        if edition is None:
            return cls(rules.basis(host), False, frozenset(), frozenset())
        agreements = rules.agreements.get(host, [])
        agreed = frozenset(
            c
            for c in edition.countries
            if any(a.covers(c, host, isco_code, on) for a in agreements)
        )
        return cls(rules.basis(host), True, edition.countries - agreed, agreed)

    def status(
        self, host: str, residence: str, citizenships: Sequence[str], training: Sequence[str]
    ) -> CodeStatus:
        if residence == host:
            return CodeStatus.IN_COUNTRY
        if not self.in_force:
            return CodeStatus.UNKNOWN
        tested = {
            TestedCountryBasis.RESIDENCE: [residence],
            TestedCountryBasis.CITIZENSHIP: list(citizenships),
            TestedCountryBasis.TRAINING: list(training),
        }[self.basis]
        if self.excluded.intersection(tested):
            return CodeStatus.MUST_NOT_ACTIVELY_RECRUIT
        if self.agreed.intersection(tested):
            return CodeStatus.UNDER_AGREEMENT
        return CodeStatus.NOT_LISTED


@dataclass(frozen=True, slots=True)
class Candidate:
    professional_id: uuid.UUID
    family_name: str
    given_names: str
    residence_country: str
    scored: Scored
    sql_score: int  # what the ordering used; equals scored.score


def standings(
    today: date,
    *,
    host: str | None = None,
    codes: Sequence[str] | None = None,
    person: uuid.UUID | None = None,
) -> Subquery:
    """(person, country, isco_code, points): the value of each active licence and each
    positive or open recognition case, narrowed to a host, occupations or one person. The
    ranking and a person's matches both read recognition from here."""
    licence_where: list[ColumnElement[bool]] = [
        Licence.status == LicenceStatus.ACTIVE,
        or_(Licence.valid_until.is_(None), Licence.valid_until >= today),
    ]
    case_where: list[ColumnElement[bool]] = [
        RecognitionCase.status.in_([*POSITIVE_CASE, *OPEN_CASE])
    ]
    if host is not None:
        licence_where.append(Licence.country == host)
        case_where.append(RecognitionCase.host_country == host)
    if codes is not None:
        licence_where.append(Licence.isco_code.in_(codes))
        case_where.append(RecognitionCase.isco_code.in_(codes))
    if person is not None:
        licence_where.append(Licence.professional_id == person)
        case_where.append(RecognitionCase.professional_id == person)
    licensed = select(
        Licence.professional_id.label("person"),
        Licence.country.label("country"),
        Licence.isco_code.label("isco_code"),
        literal(RECOGNITION_VALUES[RecognitionState.LICENSED]).label("points"),
    ).where(*licence_where)
    cases = select(
        RecognitionCase.professional_id.label("person"),
        RecognitionCase.host_country.label("country"),
        RecognitionCase.isco_code.label("isco_code"),
        case(
            (
                RecognitionCase.status.in_(POSITIVE_CASE),
                RECOGNITION_VALUES[RecognitionState.RECOGNISED],
            ),
            else_=RECOGNITION_VALUES[RecognitionState.IN_PROGRESS],
        ).label("points"),
    ).where(*case_where)
    return union_all(licensed, cases).subquery()


class CandidateQuery:
    """The SQL of one shortage's candidates: their retrieval, facts and score."""

    def __init__(self, principal: Principal, post: PostFacts, code: CodeRules, today: date) -> None:
        self.post = post
        self.code = code
        self.today = today
        self.fits = fit_codes(post.isco_code)
        self.visible = matching_clause(principal)
        # A person is matched on their primary occupation (their latest credential's, kept
        # on the record): one indexed column instead of a join to every credential.
        self.trained_as = Professional.primary_isco_code
        self.has_same = Professional.primary_isco_code == post.isco_code
        self.fits_any = Professional.primary_isco_code.in_(list(self.fits))
        self.standing = self._standing()
        # The state's value (distinct for each state) is what the query carries.
        self.recognition_points = func.coalesce(
            self.standing.c.points, RECOGNITION_VALUES[RecognitionState.NONE]
        )
        self.code_status = self._code_status()

    def _standing(self) -> Subquery:
        """Each person's best standing in the host country for the fitting occupations, as
        its value: a small aggregate the ranking joins once (a hash join, which both
        databases run faster than three lookups per candidate)."""
        rows = standings(self.today, host=self.post.host_country, codes=list(self.fits))
        return (
            select(rows.c.person, func.max(rows.c.points).label("points"))
            .group_by(rows.c.person)
            .subquery("standing")
        )

    def _with_standing(self, statement: Select[*Ts]) -> Select[*Ts]:
        return statement.select_from(Professional).outerjoin(
            self.standing, self.standing.c.person == Professional.id
        )

    def _with_languages(
        self, statement: Select[*Ts], person: ColumnElement[Any]
    ) -> tuple[Select[*Ts], list[Any]]:
        """``statement`` with one outer join per wanted language on ``person``, and the
        person's level in each (NULL when they do not speak it)."""
        levels = []
        for wanted in self.post.languages:
            speaker = aliased(LanguageSkill)
            statement = statement.outerjoin(
                speaker,
                and_(speaker.professional_id == person, speaker.language_code == wanted.code),
            )
            levels.append(speaker.level)
        return statement, levels

    def _language_points(self, levels: Sequence[Any]) -> ColumnElement[int]:
        if not levels:
            return literal(100)
        points = [
            case(
                {lvl.value: language_points(lvl, w.level) for lvl in LanguageLevel},
                value=level,
                else_=0,
            )
            for level, w in zip(levels, self.post.languages, strict=True)
        ]
        return sum(points[1:], points[0]) // len(points)

    def _tested_in(self, countries: frozenset[str]) -> ColumnElement[bool]:
        if not countries:
            return false()
        listed = sorted(countries)
        if self.code.basis is TestedCountryBasis.CITIZENSHIP:
            return exists().where(
                Citizenship.professional_id == Professional.id,
                Citizenship.country_code.in_(listed),
            )
        if self.code.basis is TestedCountryBasis.TRAINING:
            # Where they trained for the occupations that make them a candidate.
            return exists().where(
                Qualification.professional_id == Professional.id,
                Qualification.isco_code.in_(list(self.fits)),
                Qualification.training_country.in_(listed),
            )
        return Professional.residence_country.in_(listed)

    def _code_branches(self) -> tuple[list[tuple[ColumnElement[bool], CodeStatus]], CodeStatus]:
        """The WHO Code status as (condition, status) tests in order, and the status when
        none holds: the status column and its score are both read from these."""
        in_country = Professional.residence_country == self.post.host_country
        if not self.code.in_force:
            return [(in_country, CodeStatus.IN_COUNTRY)], CodeStatus.UNKNOWN
        branches = [(in_country, CodeStatus.IN_COUNTRY)]
        if self.code.excluded:
            branches.append(
                (self._tested_in(self.code.excluded), CodeStatus.MUST_NOT_ACTIVELY_RECRUIT)
            )
        if self.code.agreed:
            branches.append((self._tested_in(self.code.agreed), CodeStatus.UNDER_AGREEMENT))
        return branches, CodeStatus.NOT_LISTED

    def _code_status(self) -> ColumnElement[Any]:
        branches, otherwise = self._code_branches()
        return case(
            *((test, literal(status.value)) for test, status in branches),
            else_=literal(otherwise.value),
        )

    def _code_points(self) -> ColumnElement[Any]:
        branches, otherwise = self._code_branches()
        return case(
            *((test, CODE_VALUES[status]) for test, status in branches),
            else_=CODE_VALUES[otherwise],
        )

    def score_without_language(self) -> ColumnElement[int]:
        """``scoring.score`` less the language factor, in integers so both databases agree.
        Everything here comes from the person's row and their standing."""
        occupation = case(
            (self.has_same, OCCUPATION_VALUES[OccupationFit.SAME]),
            else_=OCCUPATION_VALUES[OccupationFit.CLOSE],
        )
        parts = {
            "occupation": occupation,
            "recognition": self.recognition_points,
            "residence": case(
                (Professional.residence_country == self.post.host_country, 100), else_=0
            ),
            "who_code": self._code_points(),
            "consent": case((Professional.consent_to_placement.is_(True), 100), else_=0),
        }
        total: ColumnElement[Any] = literal(0)
        for name, value in parts.items():
            total = total + WEIGHTS[name] * value
        return total.cast(Integer)

    def ready(self) -> ColumnElement[bool]:
        if not self.post.recognition_required:
            return true()
        return self.recognition_points >= RECOGNITION_VALUES[RecognitionState.RECOGNISED]

    def excluded(self) -> ColumnElement[bool]:
        return self.code_status == CodeStatus.MUST_NOT_ACTIVELY_RECRUIT.value

    def where(self, include_excluded: bool) -> ColumnElement[bool]:
        clauses = [self.fits_any, self.visible]
        if not include_excluded:
            clauses.append(~self.excluded())
        return and_(*clauses)

    def page(
        self,
        include_excluded: bool,
        after: tuple[int, uuid.UUID] | None,
        limit: int,
        languages: int,
        *,
        name: str = "base",
    ) -> Select[Any]:
        """Up to ``limit`` candidates in rank order (``MAX_SCORE`` - score, then id) after
        the cursor ``after``, as one statement. The row has ``languages`` level columns (the
        wanted ones, then NULLs), so that pages of several shortages stack into one result;
        ``name`` names its common table expression, unique in such a stack.

        Speaking the wanted languages is the one factor that needs a lookup per person. It
        adds at most ``LANGUAGE_MAX``, so the statement first ranks every candidate without
        it, prices in the languages of the ``limit`` best of those alone, and looks up the
        languages only of the candidates who could still reach that page."""
        where = self.where(include_excluded)
        partial_rank = MAX_SCORE - self.score_without_language()
        base_query = self._with_standing(
            select(
                Professional.id.label("id"),
                Professional.family_name.label("family_name"),
                Professional.given_names.label("given_names"),
                Professional.residence_country.label("residence_country"),
                Professional.consent_to_placement.label("consent_to_placement"),
                self.trained_as.label("trained_as"),
                self.recognition_points.label("recognition"),
                self.code_status.label("code_status"),
                partial_rank.label("partial_rank"),
            )
        ).where(where)
        if after is not None:
            # The language factor only lowers a rank: whoever ranks before the cursor
            # without it ranks before it with it.
            base_query = base_query.where(partial_rank >= after[0])
        base = base_query.cte(name)

        def ranked(source: Any) -> tuple[Select[Any], ColumnElement[int], list[Any]]:
            statement, levels = self._with_languages(select().select_from(source), source.c.id)
            rank = source.c.partial_rank - WEIGHTS["language"] * self._language_points(levels)
            return statement, rank, levels

        def after_cursor(rank: ColumnElement[int], person: ColumnElement[Any]) -> Any:
            if after is None:
                return true()
            return or_(rank > after[0], and_(rank == after[0], person > after[1]))

        best_without = (
            select(base.c.id, base.c.partial_rank)
            .order_by(base.c.partial_rank, base.c.id)
            .limit(limit)
            .subquery("best_without")
        )
        seed, seed_rank, _ = ranked(best_without)
        seed = seed.add_columns(after_cursor(seed_rank, best_without.c.id).label("counts"))
        seed_rows = seed.add_columns(seed_rank.label("rank")).subquery("seed")
        # The worst rank among `limit` real candidates after the cursor: the page ends
        # there or sooner. Fewer than `limit` of them (some ranked before the cursor once
        # their languages counted): no bound.
        bound = (
            select(
                case(
                    (func.count() >= limit, func.max(seed_rows.c.rank)),
                    else_=MAX_SCORE + LANGUAGE_MAX,
                )
            )
            .where(seed_rows.c.counts)
            .scalar_subquery()
        )
        statement, rank, levels = ranked(base)
        return (
            statement.add_columns(
                *base.c,
                *(level.label(f"level_{i}") for i, level in enumerate(levels)),
                *(
                    literal(None, LanguageSkill.level.type).label(f"level_{i}")
                    for i in range(len(levels), languages)
                ),
                rank.label("rank_key"),
            )
            .where(base.c.partial_rank - LANGUAGE_MAX <= bound)
            .where(after_cursor(rank, base.c.id))
            .order_by(rank, base.c.id)
            .limit(limit)
        )

    def candidate(self, row: Any) -> Candidate:
        languages = {
            w.code: LanguageLevel(getattr(row, f"level_{i}"))
            for i, w in enumerate(self.post.languages)
            if getattr(row, f"level_{i}") is not None
        }
        trained_as = row.trained_as
        facts = PersonFacts(
            occupation=OccupationFit.SAME
            if trained_as == self.post.isco_code
            else OccupationFit.CLOSE,
            trained_as=trained_as,
            recognition=STATE_OF_POINTS[row.recognition],
            languages=languages,
            residence_country=row.residence_country,
            code_status=CodeStatus(row.code_status),
            consent=row.consent_to_placement,
        )
        return Candidate(
            row.id,
            row.family_name,
            row.given_names,
            row.residence_country,
            score(self.post, facts),
            MAX_SCORE - row.rank_key,
        )

    def gap(self) -> Select[int, int, int]:
        """Counts of the visible candidates: ready now, after recognition, excluded."""
        base = and_(self.fits_any, self.visible)
        excluded = self.excluded()
        ready = self.ready()

        def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        return self._with_standing(
            select(
                count(and_(~excluded, ready)).label("ready_now"),
                count(and_(~excluded, ~ready)).label("after_recognition"),
                count(excluded).label("excluded"),
            )
        ).where(base)
