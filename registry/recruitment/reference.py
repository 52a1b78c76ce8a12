"""The rules recruitments are judged by: safeguard-list editions, bilateral agreements,
destination policies. Only an admin changes them; every change re-judges what it touches."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.audit.services import record_event, snapshot
from registry.auth.principal import Principal
from registry.errors import Issues, NotFoundError, VersionConflictError
from registry.patch import UNSET, Unset, field_values
from registry.recruitment.access import require_admin
from registry.recruitment.enums import TestedCountryBasis
from registry.recruitment.judging import rejudge
from registry.recruitment.models import (
    BilateralAgreement,
    DestinationPolicy,
    Recruitment,
    SafeguardListCountry,
    SafeguardListEdition,
)
from registry.reference.catalog import ReferenceCatalog
from registry.validation import Checker

MAX_EDITION_ROWS = 250
AGREEMENT_COLUMNS = (
    "name",
    "source_country",
    "destination_country",
    "occupations",
    "valid_from",
    "valid_until",
    "terms",
    "notified_to_who",
    "version",
)


@dataclass(frozen=True, slots=True)
class EditionData:
    year: int
    effective_from: date
    criteria: str
    source: str
    countries: Sequence[str]


@dataclass(frozen=True, slots=True)
class LoadedEdition:
    edition: SafeguardListEdition
    countries: int
    rejudged: int


def parse_edition_csv(text: str, catalog: ReferenceCatalog) -> list[str]:
    """Country codes from a list file with an ``iso2`` or ``iso3`` column. Every bad row
    is reported with its line number; one bad row rejects the file."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    column = next((c for c in ("iso2", "iso3") if c in fields), None)
    issues = Issues()
    if column is None:
        issues.add("csv", "missing_column", "the file needs an iso2 or iso3 column")
        issues.raise_if_any()
    by_alpha3 = {c.alpha3: c.code for c in catalog.countries.values()}
    codes: list[str] = []
    for line, row in enumerate(reader, start=2):
        raw = (row.get(column or "") or "").strip().upper()
        code = raw if column == "iso2" else by_alpha3.get(raw, "")
        if catalog.country(code) is None:
            issues.add(
                f"csv.line[{line}]", "unknown_country", f"{raw!r} is not an ISO {column} code"
            )
        elif code in codes:
            issues.add(f"csv.line[{line}]", "duplicate_country", f"{code} is listed twice")
        else:
            codes.append(code)
        if line > MAX_EDITION_ROWS + 1:
            issues.add("csv", "too_many_rows", f"at most {MAX_EDITION_ROWS} countries")
            break
    issues.raise_if_any()
    return codes


async def load_edition(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    data: EditionData,
    *,
    now: datetime,
    replace: bool = False,
) -> LoadedEdition:
    require_admin(principal, "loads safeguard-list editions")
    check = Checker(catalog)
    if not 2010 <= data.year <= 2100:
        check.fail("year", "out_of_range", "must be between 2010 and 2100")
    criteria = check.text("criteria", data.criteria, max_length=5000)
    source = check.text("source", data.source, max_length=500)
    countries = [check.country(f"countries[{i}]", c) for i, c in enumerate(data.countries)]
    if not countries:
        check.fail("countries", "required", "an edition lists at least one country")
    existing = await session.get(SafeguardListEdition, data.year)
    if existing is not None and not replace:
        check.fail("year", "edition_exists", f"the {data.year} edition is already loaded")
    check.raise_if_any()
    if existing is not None:
        await session.execute(
            delete(SafeguardListCountry).where(SafeguardListCountry.edition_year == data.year)
        )
        await session.delete(existing)
        await session.flush()
    edition = SafeguardListEdition(
        year=data.year, effective_from=data.effective_from, criteria=criteria, source=source
    )
    session.add(edition)
    await session.flush()
    session.add_all(SafeguardListCountry(edition_year=data.year, country_code=c) for c in countries)
    await session.flush()
    await record_event(
        session,
        principal,
        "safeguard_list.loaded",
        "SafeguardListEdition",
        str(data.year),
        after={"effective_from": data.effective_from.isoformat(), "countries": sorted(countries)},
    )
    since = min(data.effective_from, existing.effective_from) if existing else data.effective_from
    changed = await rejudge(
        session,
        principal,
        Recruitment.proposed_on >= since,
        f"safeguard list {data.year} loaded",
        now=now,
    )
    return LoadedEdition(edition, len(countries), changed)


@dataclass(frozen=True, slots=True)
class AgreementData:
    name: str
    source_country: str
    destination_country: str
    valid_from: date
    occupations: Sequence[str] = ()
    valid_until: date | None = None
    terms: str | None = None
    notified_to_who: bool = False


@dataclass(frozen=True, slots=True)
class AgreementChanges:
    name: str | Unset = UNSET
    occupations: Sequence[str] | Unset = UNSET
    valid_from: date | Unset = UNSET
    valid_until: date | Unset | None = UNSET
    terms: str | Unset | None = UNSET
    notified_to_who: bool | Unset = UNSET


async def create_agreement(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    data: AgreementData,
    *,
    now: datetime,
) -> tuple[BilateralAgreement, int]:
    require_admin(principal, "records bilateral agreements")
    check = Checker(catalog)
    values = _agreement_values(check, field_values(data))
    values["source_country"] = check.country("sourceCountry", data.source_country)
    values["destination_country"] = check.country("destinationCountry", data.destination_country)
    if values["source_country"] == values["destination_country"]:
        check.fail("destinationCountry", "same_country", "must differ from the source country")
    _check_validity(check, values["valid_from"], values["valid_until"])
    check.raise_if_any()
    agreement = BilateralAgreement(**values)
    session.add(agreement)
    await session.flush()
    await record_event(
        session,
        principal,
        "agreement.created",
        "BilateralAgreement",
        str(agreement.id),
        after=snapshot(agreement, AGREEMENT_COLUMNS),
    )
    changed = await _rejudge_destination(session, principal, agreement, now)
    return agreement, changed


async def update_agreement(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    agreement_id: uuid.UUID,
    expected_version: int,
    changes: AgreementChanges,
    *,
    now: datetime,
) -> tuple[BilateralAgreement, int]:
    require_admin(principal, "changes bilateral agreements")
    check = Checker(catalog)
    values = _agreement_values(check, field_values(changes, given_only=True))
    agreement = await session.get(BilateralAgreement, agreement_id)
    if agreement is None:
        raise NotFoundError("BilateralAgreement", str(agreement_id))
    if agreement.version != expected_version:
        raise VersionConflictError(
            "BilateralAgreement", str(agreement_id), expected_version, agreement.version
        )
    _check_validity(
        check,
        values.get("valid_from", agreement.valid_from),
        values.get("valid_until", agreement.valid_until),
    )
    check.raise_if_any()
    before = snapshot(agreement, AGREEMENT_COLUMNS)
    for name, value in values.items():
        setattr(agreement, name, value)
    await session.flush()
    await record_event(
        session,
        principal,
        "agreement.updated",
        "BilateralAgreement",
        str(agreement.id),
        before=before,
        after=snapshot(agreement, AGREEMENT_COLUMNS),
    )
    changed = await _rejudge_destination(session, principal, agreement, now)
    return agreement, changed


async def set_policy(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    country: str,
    basis: TestedCountryBasis,
    *,
    now: datetime,
) -> tuple[DestinationPolicy, int]:
    require_admin(principal, "sets destination policies")
    check = Checker(catalog)
    code = check.country("country", country)
    check.raise_if_any()
    policy = await session.get(DestinationPolicy, code)
    before = policy.basis if policy else TestedCountryBasis.RESIDENCE
    if policy is None:
        policy = DestinationPolicy(country_code=code, basis=basis)
        session.add(policy)
    policy.basis = basis
    await session.flush()
    await record_event(
        session,
        principal,
        "destination_policy.set",
        "DestinationPolicy",
        code,
        before={"basis": before},
        after={"basis": basis},
    )
    changed = await rejudge(
        session,
        principal,
        Recruitment.destination_country == code,
        f"{code} now tests the country of {basis.value}",
        now=now,
    )
    return policy, changed


def _agreement_values(check: Checker, given: dict[str, object]) -> dict[str, object]:
    values = dict(given)
    if "name" in values:
        values["name"] = check.text("name", str(values["name"]), max_length=300)
    if "occupations" in values:
        codes = list(values["occupations"])  # type: ignore[call-overload]
        values["occupations"] = sorted(
            {check.occupation(f"occupations[{i}]", c) for i, c in enumerate(codes)}
        )
    if values.get("terms") is not None:
        values["terms"] = check.text("terms", str(values["terms"]), max_length=5000)
    for key in ("source_country", "destination_country"):
        values.pop(key, None)
    return values


def _check_validity(check: Checker, valid_from: object, valid_until: object) -> None:
    if isinstance(valid_from, date) and isinstance(valid_until, date) and valid_until < valid_from:
        check.fail("validUntil", "before_valid_from", "must not precede validFrom")


async def _rejudge_destination(
    session: AsyncSession, principal: Principal, agreement: BilateralAgreement, now: datetime
) -> int:
    return await rejudge(
        session,
        principal,
        Recruitment.destination_country == agreement.destination_country,
        f"agreement {agreement.name} recorded",
        now=now,
    )


async def editions(session: AsyncSession) -> list[tuple[SafeguardListEdition, list[str]]]:
    rows = await session.execute(
        select(SafeguardListCountry.edition_year, SafeguardListCountry.country_code).order_by(
            SafeguardListCountry.country_code
        )
    )
    listed: dict[int, list[str]] = {}
    for year, code in rows:
        listed.setdefault(year, []).append(code)
    found = await session.scalars(
        select(SafeguardListEdition).order_by(SafeguardListEdition.year.desc())
    )
    return [(e, listed.get(e.year, [])) for e in found]


async def agreements(
    session: AsyncSession, destination: str | None, source: str | None
) -> list[BilateralAgreement]:
    statement = select(BilateralAgreement).order_by(
        BilateralAgreement.destination_country, BilateralAgreement.valid_from
    )
    if destination:
        statement = statement.where(BilateralAgreement.destination_country == destination)
    if source:
        statement = statement.where(BilateralAgreement.source_country == source)
    return list(await session.scalars(statement.limit(1000)))
