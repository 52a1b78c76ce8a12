"""DataLoaders, built per request so that batches never cross principals.

Each batch opens a short session, applies the principal's access rule in SQL, and
returns results in key order: one statement per batch, whatever the page size.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from registry.accreditation import cases, licences, verification
from registry.accreditation.models import CaseEvent, Licence, RecognitionCase, Verification
from registry.auth.principal import Principal
from registry.batching import grouped
from registry.credentials import services as credentials
from registry.credentials.models import Qualification
from registry.organisations import services as organisations
from registry.organisations.models import Organisation
from registry.pagination import Page
from registry.professionals import access
from registry.professionals import search as professionals
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.recruitment import services as recruitments
from registry.recruitment.models import BilateralAgreement, Recruitment, RecruitmentEvent
from registry.shortages import matches
from registry.shortages import services as shortages
from registry.shortages.models import Shortage
from registry.shortages.ranking import Candidate

K = TypeVar("K")
V = TypeVar("V")


class Loaders:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        principal: Principal,
        today: Callable[[], date],
    ) -> None:
        self._sessions = session_factory
        self._principal = principal
        self._today = today
        self.professional: DataLoader[uuid.UUID, Professional | None] = DataLoader(
            self._batch(self._professionals)
        )
        self.qualification: DataLoader[uuid.UUID, Qualification | None] = DataLoader(
            self._batch(self._qualifications)
        )
        self.qualifications_of: DataLoader[uuid.UUID, list[Qualification] | None] = DataLoader(
            self._batch(self._qualifications_of)
        )
        self.citizenships_of: DataLoader[uuid.UUID, list[str] | None] = DataLoader(
            self._batch(self._citizenships_of)
        )
        self.languages_of: DataLoader[uuid.UUID, list[LanguageSkill] | None] = DataLoader(
            self._batch(self._languages_of)
        )
        scoped = self._scoped
        self.organisation: DataLoader[uuid.UUID, Organisation | None] = DataLoader(
            self._batch(organisations.get_many)
        )
        self.verification: DataLoader[uuid.UUID, Verification | None] = DataLoader(
            self._batch(scoped(verification.get_many))
        )
        self.verifications_of: DataLoader[uuid.UUID, list[Verification] | None] = DataLoader(
            self._batch(scoped(verification.for_qualifications))
        )
        self.case: DataLoader[uuid.UUID, RecognitionCase | None] = DataLoader(
            self._batch(scoped(cases.get_many))
        )
        self.cases_of: DataLoader[uuid.UUID, list[RecognitionCase] | None] = DataLoader(
            self._batch(scoped(cases.for_professionals))
        )
        self.history_of: DataLoader[uuid.UUID, list[CaseEvent] | None] = DataLoader(
            self._batch(scoped(cases.history))
        )
        self.licence: DataLoader[uuid.UUID, Licence | None] = DataLoader(
            self._batch(scoped(licences.get_many))
        )
        self.licence_of_case: DataLoader[uuid.UUID, Licence | None] = DataLoader(
            self._batch(scoped(licences.for_cases))
        )

        self.recruitment: DataLoader[uuid.UUID, Recruitment | None] = DataLoader(
            self._batch(scoped(recruitments.get_many))
        )
        self.recruitment_events: DataLoader[uuid.UUID, list[RecruitmentEvent] | None] = DataLoader(
            self._batch(scoped(recruitments.events_of))
        )
        self.agreement: DataLoader[uuid.UUID, BilateralAgreement | None] = DataLoader(
            self._batch(self._agreements)
        )
        self.shortage: DataLoader[uuid.UUID, Shortage | None] = DataLoader(
            self._batch(scoped(shortages.get_many))
        )
        self.matching_profile: DataLoader[uuid.UUID, Professional | None] = DataLoader(
            self._batch(scoped(matches.profiles))
        )
        # Rankings of every shortage a query selects, in one statement: each key is one
        # field resolution, so nothing is cached.
        self.candidates: DataLoader[matches.CandidatesRequest, Page[Candidate]] = DataLoader(
            self._candidates, cache=False
        )
        self.gap: DataLoader[Shortage, tuple[int, int, int]] = DataLoader(self._gaps, cache=False)

    async def _candidates(self, requests: list[matches.CandidatesRequest]) -> list[Page[Candidate]]:
        async with self._sessions() as session:
            return await matches.candidates(session, self._principal, requests, today=self._today())

    async def _gaps(self, shortages: list[Shortage]) -> list[tuple[int, int, int]]:
        async with self._sessions() as session:
            return await matches.gap(session, self._principal, shortages, today=self._today())

    async def _agreements(
        self, session: AsyncSession, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, BilateralAgreement]:
        # Agreements are public reference data for every authenticated role.
        rows = await session.scalars(
            select(BilateralAgreement).where(BilateralAgreement.id.in_(ids))
        )
        return {a.id: a for a in rows}

    def _scoped(
        self,
        fetch: Callable[[AsyncSession, Principal, list[K]], Awaitable[Mapping[K, V]]],
    ) -> Callable[[AsyncSession, list[K]], Awaitable[Mapping[K, V]]]:
        """A service batch read with this request's principal bound in."""

        async def bound(session: AsyncSession, keys: list[K]) -> Mapping[K, V]:
            return await fetch(session, self._principal, keys)

        return bound

    def _batch(
        self, fetch: Callable[[AsyncSession, list[K]], Awaitable[Mapping[K, V]]]
    ) -> Callable[[list[K]], Awaitable[Sequence[V | None]]]:
        async def load(keys: list[K]) -> list[V | None]:
            async with self._sessions() as session:
                found = await fetch(session, keys)
            return [found.get(key) for key in keys]

        return load

    async def _professionals(
        self, session: AsyncSession, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Professional]:
        return await professionals.get_many(session, self._principal, ids)

    async def _qualifications(
        self, session: AsyncSession, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Qualification]:
        return await credentials.get_many(session, self._principal, ids)

    async def _qualifications_of(
        self, session: AsyncSession, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, list[Qualification]]:
        return await credentials.for_professionals(session, self._principal, ids)

    async def _citizenships_of(
        self, session: AsyncSession, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, list[str]]:
        rows = await session.execute(
            select(Citizenship.professional_id, Citizenship.country_code)
            .join(Professional, Professional.id == Citizenship.professional_id)
            .where(Citizenship.professional_id.in_(ids), access.readable_clause(self._principal))
            .order_by(Citizenship.professional_id, Citizenship.country_code)
        )
        by_person = grouped(rows, ids, lambda row: row[0])
        return {pid: [code for _, code in found] for pid, found in by_person.items()}

    async def _languages_of(
        self, session: AsyncSession, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, list[LanguageSkill]]:
        rows = await session.scalars(
            select(LanguageSkill)
            .join(Professional, Professional.id == LanguageSkill.professional_id)
            .where(LanguageSkill.professional_id.in_(ids), access.readable_clause(self._principal))
            .order_by(LanguageSkill.professional_id, LanguageSkill.language_code)
        )
        return grouped(rows, ids, lambda skill: skill.professional_id)
