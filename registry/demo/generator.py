"""Realistic synthetic professionals for demos and benchmarks.

Countries of training and residence are drawn from the real OECD HEALTH_WFMI stock of
foreign-trained doctors (destination x country of training), restricted to the origins
for which ``data/profiles.json`` has names, languages and credential titles.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pycountry
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.normalise import fold
from matching.titles import default_matcher
from registry.accreditation import cases, licences
from registry.accreditation.enums import CaseStatus, Pathway
from registry.audit.services import record_event
from registry.auth.principal import Principal
from registry.credentials.models import Qualification
from registry.db import utcnow
from registry.organisations import services as organisations
from registry.organisations.enums import OrganisationKind
from registry.professionals.enums import LanguageLevel
from registry.professionals.models import Citizenship, LanguageSkill, Professional
from registry.reference.catalog import ReferenceCatalog
from registry.reference.loader import read_csv
from registry.shortages import services as shortages

# Main language(s) of each OECD destination in the data, for the host-language skill.
HOST_LANGUAGES = {
    "AT": "deu", "AU": "eng", "BE": "fra", "CA": "eng", "CH": "deu", "CL": "spa", "CZ": "ces",
    "DE": "deu", "EE": "est", "FR": "fra", "GB": "eng", "GR": "ell", "HU": "hun", "IE": "eng",
    "IL": "heb", "LT": "lit", "LV": "lav", "NO": "nor", "NZ": "eng", "PL": "pol", "SI": "slv",
    "US": "eng",
}  # fmt: skip
OCCUPATION_WEIGHTS = {"2211": 30, "2212": 12, "2221": 30, "2222": 8, "2261": 7, "2262": 8}
FEMALE_SHARE = {"2221": 0.85, "2222": 0.98, "3221": 0.85, "3222": 0.98}
LEVELS = ["A2", "B1", "B2", "C1"]


@dataclass(frozen=True, slots=True)
class Flow:
    destination: str  # alpha-2
    origin: str  # alpha-2


def _data(name: str) -> Any:
    return resources.files("registry.demo") / "data" / name


def load_profiles() -> dict[str, Any]:
    with _data("profiles.json").open(encoding="utf-8") as handle:
        profiles: dict[str, Any] = json.load(handle)["profiles"]
    return profiles


def load_flows(profiles: dict[str, Any]) -> tuple[list[Flow], list[float]]:
    flows: list[Flow] = []
    weights: list[float] = []
    for row in read_csv("oecd_health_workforce_migration.csv"):
        if row["variable_code"] != "FTDS" or not row["value"]:
            continue
        origin = pycountry.countries.get(alpha_3=row["origin_code"])
        destination = pycountry.countries.get(alpha_3=row["destination_iso3"])
        if origin is None or destination is None or origin.alpha_2 not in profiles:
            continue
        value = float(row["value"])
        if value > 0 and destination.alpha_2 in HOST_LANGUAGES:
            flows.append(Flow(destination.alpha_2, origin.alpha_2))
            weights.append(value)
    return flows, weights


class DemoGenerator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.profiles = load_profiles()
        self.flows, self.weights = load_flows(self.profiles)
        self.today = date(2026, 1, 1)

    def rows(self, count: int) -> Iterator[dict[str, list[dict[str, Any]]]]:
        """Yields one professional at a time as rows for each table."""
        for _ in range(count):
            yield self._one()

    def _one(self) -> dict[str, list[dict[str, Any]]]:
        rng = self.rng
        flow = rng.choices(self.flows, self.weights)[0]
        profile = self.profiles[flow.origin]
        codes = [c for c in OCCUPATION_WEIGHTS if c in profile["titles"]] or list(profile["titles"])
        occupation = rng.choices(codes, [OCCUPATION_WEIGHTS.get(c, 5) for c in codes])[0]
        female = rng.random() < FEMALE_SHARE.get(occupation, 0.5)
        given = rng.choice(profile["female" if female else "male"])
        family = rng.choice(profile["family"])
        pid = uuid.uuid4()
        # Registered over the last eight years, so yearly statistics have a history.
        now = utcnow() - timedelta(days=rng.randint(0, 8 * 365))
        born = self.today - timedelta(days=rng.randint(26 * 365, 62 * 365))
        status = rng.choices(list(profile["status"]), list(profile["status"].values()))[0]
        professional = {
            "id": pid, "family_name": family, "given_names": given,
            "name_search": fold(f"{given} {family}"), "sort_name": fold(f"{family} {given}"),
            "birth_date": born, "sex": "female" if female else "male",
            "birth_country": flow.origin if rng.random() < 0.92 else flow.destination,
            "residence_country": flow.destination, "protection_status": status,
            "consent_to_placement": rng.random() < 0.6, "version": 1,
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        qualifications = self._qualifications(pid, profile, flow.origin, occupation, born)
        latest = qualifications[-1]  # the chain is in award order
        professional["primary_isco_code"] = latest["isco_code"]
        professional["primary_training_country"] = latest["training_country"]
        return {
            "professionals": [professional],
            "citizenships": [{"professional_id": pid, "country_code": flow.origin}],
            "languages": self._languages(pid, profile, flow.destination),
            "qualifications": qualifications,
        }

    def _languages(
        self, pid: uuid.UUID, profile: dict[str, Any], host: str
    ) -> list[dict[str, Any]]:
        rng = self.rng
        skills = {profile["languages"][0]: "native"}
        for extra in profile["languages"][1:]:
            if rng.random() < 0.6:
                skills.setdefault(extra, rng.choice(LEVELS[1:]))
        skills.setdefault(HOST_LANGUAGES[host], rng.choice(LEVELS))
        return [
            {"professional_id": pid, "language_code": c, "level": lv} for c, lv in skills.items()
        ]

    def _qualifications(
        self, pid: uuid.UUID, profile: dict[str, Any], origin: str, occupation: str, born: date
    ) -> list[dict[str, Any]]:
        rng = self.rng
        result = []
        awarded = born + timedelta(days=rng.randint(23 * 365, 27 * 365))
        chain = [occupation]
        if occupation == "2212" and "2211" in profile["titles"]:
            chain = ["2211", "2212"]  # a specialist first graduated as a doctor
        kinds = ["basic_degree", "specialist"][: len(chain)]
        if rng.random() < 0.75:
            # The licence to practise carries the professional title of the last step.
            chain.append(chain[-1])
            kinds.append("licence")
        for step, (code, kind) in enumerate(zip(chain, kinds, strict=True)):
            now = utcnow()
            result.append({
                "id": uuid.uuid4(), "professional_id": pid, "kind": kind,
                "original_title": rng.choice(profile["titles"][code]),
                "title_language": profile["title_language"], "institution": None,
                "training_country": origin,
                "award_date": min(awarded + timedelta(days=step * 4 * 365), self.today),
                "isco_code": code, "mapping_method": "manual",
                "evidence_level": rng.choices(["full", "partial", "none"], [60, 30, 10])[0],
                "documents": [], "version": 1, "created_at": now, "updated_at": now,
            })  # fmt: skip
        return result


TABLES = (
    ("professionals", Professional),
    ("citizenships", Citizenship),
    ("languages", LanguageSkill),
    ("qualifications", Qualification),
)


async def insert_batch(session: AsyncSession, batch: list[dict[str, list[dict[str, Any]]]]) -> None:
    for key, model in TABLES:
        rows = [row for item in batch for row in item[key]]
        if rows:
            await session.execute(insert(model), rows)


async def load_demo_data(
    session: AsyncSession, count: int, *, seed: int, batch_size: int = 1000
) -> int:
    generator = DemoGenerator(seed)
    batch: list[dict[str, list[dict[str, Any]]]] = []
    for item in generator.rows(count):
        batch.append(item)
        if len(batch) >= batch_size:
            await insert_batch(session, batch)
            batch = []
    if batch:
        await insert_batch(session, batch)
    await record_event(
        session,
        Principal.system(),
        "demo_data.loaded",
        "Registry",
        "demo",
        after={"professionals": count, "seed": seed},
    )
    return count


# The language a host country's employers ask for (ISO 639-3); English elsewhere.
HOST_LANGUAGES = {
    "DE": "deu", "AT": "deu", "CH": "deu", "FR": "fra", "BE": "fra", "LU": "fra",
    "NL": "nld", "SE": "swe", "NO": "nor", "DK": "dan", "FI": "fin", "IT": "ita",
    "ES": "spa", "PT": "por", "PL": "pol", "CZ": "ces", "IL": "heb", "JP": "jpn",
}  # fmt: skip


async def load_demo_shortages(session: AsyncSession, catalog: ReferenceCatalog) -> int:
    """A shortage for each of the commonest host country x occupation pairs among the demo
    people, so that candidates and gaps have something to show."""
    pairs = await session.execute(
        select(Professional.residence_country, Professional.primary_isco_code, func.count())
        .where(Professional.primary_isco_code.is_not(None))
        .group_by(Professional.residence_country, Professional.primary_isco_code)
        .order_by(func.count().desc(), Professional.residence_country)
        .limit(12)
    )
    added = 0
    for number, (host, code, people) in enumerate(pairs):
        data = shortages.ShortageData(
            host_country=host,
            posts=max(2, people // 2),
            starts_on=utcnow().date(),
            source="demo data (synthetic)",
            isco_code=code,
            languages=[(HOST_LANGUAGES.get(host, "eng"), LanguageLevel.B2)],
            recognition_required=number % 3 != 0,
        )
        await shortages.create(session, catalog, default_matcher(), Principal.system(), data)
        added += 1
    return added


async def load_demo_recognition(
    session: AsyncSession, catalog: ReferenceCatalog, today: date, *, every: int = 6
) -> int:
    """A competent authority in each country where demo people live, and a recognition case
    for every ``every``-th of them (by id): a third still submitted, a third under review,
    a third recognised, half of those with a licence. Everything goes through the services,
    so the demo's cases have their history and audit events like real ones."""
    people = (
        await session.execute(
            select(Professional.id, Professional.residence_country, Professional.primary_isco_code)
            .where(Professional.primary_isco_code.is_not(None))
            .order_by(Professional.id)
        )
    ).all()
    chosen = [(person, country, code) for person, country, code in people[::every] if code]
    system = Principal.system()
    authorities: dict[str, uuid.UUID] = {}
    for _, country, _ in chosen:
        if country not in authorities:
            authority = await organisations.create(
                session,
                catalog,
                system,
                organisations.OrganisationData(
                    OrganisationKind.COMPETENT_AUTHORITY,
                    f"Demo competent authority ({country})",
                    country,
                ),
            )
            authorities[country] = authority.id
    for number, (person, country, code) in enumerate(chosen):
        case = await cases.submit(
            session,
            catalog,
            system,
            cases.CaseData(
                person,
                code,
                Pathway.NATIONAL,
                host_country=country,
                authority_id=authorities[country],
                submitted_on=today - timedelta(days=120),
            ),
            today=today,
        )
        # A third stay submitted, a third go under review, a third on to recognition.
        steps = [
            cases.Transition(CaseStatus.UNDER_REVIEW, file_complete_on=today - timedelta(days=90)),
            cases.Transition(CaseStatus.RECOGNISED),
        ][: number % 3]
        for step in steps:
            case = await cases.transition(
                session, catalog, system, case.id, case.version, step, today=today
            )
        if case.status is not CaseStatus.RECOGNISED:
            continue
        if number % 2 == 0:
            await licences.issue(
                session,
                catalog,
                system,
                case.id,
                case.version,
                licences.LicenceData(
                    f"DEMO-{country}-{number:04d}", today, today + timedelta(days=5 * 365)
                ),
            )
    return len(chosen)


async def load_demo_data_if_empty(session: AsyncSession, count: int) -> int:
    existing = await session.scalar(select(func.count()).select_from(Professional))
    if existing:
        return 0
    loaded = await load_demo_data(session, count, seed=2026)
    catalog = await ReferenceCatalog.load(session)
    await load_demo_recognition(session, catalog, utcnow().date())
    await load_demo_shortages(session, catalog)
    return loaded
