"""Shortages: record, change, import, read; and the candidates, matches and gaps built on
them. Services flush and never commit; the caller owns the transaction."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from matching.titles import MatchStatus, TitleMatcher
from registry.audit.services import record_event, snapshot
from registry.auth.models import Role
from registry.auth.principal import Principal
from registry.db import utcnow
from registry.errors import Issues, NotFoundError, PermissionDeniedError, VersionConflictError
from registry.organisations.enums import OrganisationKind
from registry.organisations.models import Organisation
from registry.pagination import (
    KeysetOrder,
    Page,
    PageRequest,
    build_page,
    decode_cursor,
)
from registry.patch import UNSET, Unset
from registry.professionals.enums import LanguageLevel
from registry.reference.catalog import ReferenceCatalog
from registry.shortages.models import Shortage, ShortageLanguage
from registry.validation import Checker

MAX_POSTS = 100_000
MAX_IMPORT_ROWS = 10_000
COLUMNS = (
    "host_country",
    "subdivision",
    "employer_id",
    "isco_code",
    "title",
    "posts",
    "recognition_required",
    "starts_on",
    "ends_on",
    "source",
)
REQUIRED_CSV_COLUMNS = ("country", "posts", "start", "source")


@dataclass(frozen=True, slots=True)
class ShortageData:
    host_country: str
    posts: int
    starts_on: date
    source: str
    isco_code: str | None = None
    title: str | None = None
    subdivision: str | None = None
    employer_id: uuid.UUID | None = None
    languages: Sequence[tuple[str, LanguageLevel]] = ()
    recognition_required: bool = True
    ends_on: date | None = None


@dataclass(frozen=True, slots=True)
class ShortageChanges:
    posts: int | Unset = UNSET
    subdivision: str | Unset | None = UNSET
    languages: Sequence[tuple[str, LanguageLevel]] | Unset = UNSET
    recognition_required: bool | Unset = UNSET
    starts_on: date | Unset = UNSET
    ends_on: date | Unset | None = UNSET
    source: str | Unset = UNSET


def _recorder(principal: Principal) -> uuid.UUID | None:
    """The organisation recording: None for an admin. Agencies and employers record their
    own shortages; authorities and researchers record none."""
    if principal.role is Role.ADMIN:
        return None
    if principal.role is Role.PLACEMENT_AGENCY and principal.organisation_id is not None:
        return principal.organisation_id
    raise PermissionDeniedError(
        "only an administrator or an agency or employer token scoped to an organisation "
        "records shortages"
    )


def require_reader(principal: Principal) -> None:
    if principal.role is Role.RESEARCHER:
        raise PermissionDeniedError("researchers see aggregate statistics only")


class _Validator:
    def __init__(
        self, catalog: ReferenceCatalog, matcher: TitleMatcher | None, prefix: str = "input"
    ) -> None:
        self.check = Checker(catalog, prefix=prefix)
        self.matcher = matcher

    def occupation(self, isco_code: str | None, title: str | None) -> tuple[str, str | None]:
        """The ISCO code as given, or the one the matcher gives the title with confidence."""
        check = self.check
        clean_title = check.text("title", title, max_length=300) if title else None
        if isco_code:
            return check.occupation("iscoCode", isco_code), clean_title
        if not clean_title:
            check.fail("iscoCode", "required", "give an ISCO-08 code or a title to map")
            return "", None
        if self.matcher is None:
            raise RuntimeError("mapping a title needs a matcher")
        result = self.matcher.match(clean_title)
        if result.status is not MatchStatus.MATCHED or result.best is None:
            listed = ", ".join(f"{c.isco_code} ({c.score:.0f})" for c in result.candidates[:3])
            check.fail(
                "title",
                "title_not_mapped",
                f"the title maps to no single occupation ({result.status.value}"
                + (f": {listed}" if listed else "")
                + "); give iscoCode",
            )
            return "", clean_title
        return result.best.isco_code, clean_title

    def posts(self, posts: int) -> int:
        if not 1 <= posts <= MAX_POSTS:
            self.check.fail("posts", "out_of_range", f"must be between 1 and {MAX_POSTS}")
        return posts

    def languages(self, wanted: Sequence[tuple[str, LanguageLevel]]) -> dict[str, LanguageLevel]:
        found: dict[str, LanguageLevel] = {}
        for i, (code, level) in enumerate(wanted):
            normalised = self.check.language(f"languages[{i}].language", code)
            if normalised in found:
                self.check.fail(
                    f"languages[{i}].language", "duplicate", f"{normalised} is listed twice"
                )
            found[normalised] = level
        if len(found) > 10:
            self.check.fail("languages", "too_many", "at most 10 languages")
        return found

    def period(self, starts_on: date, ends_on: date | None) -> None:
        if ends_on is not None and ends_on < starts_on:
            self.check.fail("endsOn", "before_start", "must not be before startsOn")

    def subdivision(self, code: str | None, country: str) -> str | None:
        return self.check.subdivision("subdivision", code, country) if code else None


async def _check_employer(
    session: AsyncSession, check: Checker, employer_id: uuid.UUID | None
) -> None:
    if employer_id is None:
        return
    employer = await session.get(Organisation, employer_id)
    if employer is None:
        check.fail("employerId", "not_found", "no such organisation")
    elif employer.kind not in (OrganisationKind.EMPLOYER, OrganisationKind.GOVERNMENT_BODY):
        check.fail("employerId", "not_an_employer", f"is a {employer.kind.value}")


async def create(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    matcher: TitleMatcher,
    principal: Principal,
    data: ShortageData,
    *,
    prefix: str = "input",
    issues: Issues | None = None,
) -> Shortage | None:
    """Records a shortage. With ``issues`` (an import), problems are collected there and
    nothing is added for a bad row; otherwise they are raised."""
    recorder = _recorder(principal)
    v = _Validator(catalog, matcher, prefix)
    host = v.check.country("hostCountry", data.host_country)
    isco_code, title = v.occupation(data.isco_code, data.title)
    posts = v.posts(data.posts)
    languages = v.languages(data.languages)
    subdivision = v.subdivision(data.subdivision, host)
    v.period(data.starts_on, data.ends_on)
    source = v.check.text("source", data.source, max_length=500)
    await _check_employer(session, v.check, data.employer_id)
    if issues is not None:
        for issue in v.check.issues.items:
            issues.add(issue.field, issue.code, issue.message)
        if v.check.issues:
            return None
    v.check.raise_if_any()
    shortage = Shortage(
        host_country=host,
        subdivision=subdivision,
        employer_id=data.employer_id,
        recorded_by_id=recorder,
        isco_code=isco_code,
        title=title,
        posts=posts,
        recognition_required=data.recognition_required,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        source=source,
        languages=[ShortageLanguage(language_code=c, level=lv) for c, lv in languages.items()],
    )
    session.add(shortage)
    await session.flush()
    await record_event(
        session,
        principal,
        "shortage.created",
        "Shortage",
        str(shortage.id),
        after=_snapshot(shortage, languages),
    )
    return shortage


async def update(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    principal: Principal,
    shortage_id: uuid.UUID,
    expected_version: int,
    changes: ShortageChanges,
) -> Shortage:
    recorder = _recorder(principal)
    shortage = await _get(session, shortage_id)
    if shortage is None or (recorder is not None and shortage.recorded_by_id != recorder):
        raise NotFoundError("Shortage", str(shortage_id))
    if shortage.version != expected_version:
        raise VersionConflictError("Shortage", str(shortage_id), expected_version, shortage.version)
    v = _Validator(catalog, None)  # the occupation never changes: no title to map
    before = _snapshot(shortage, {lang.language_code: lang.level for lang in shortage.languages})
    posts = v.posts(changes.posts) if changes.posts is not UNSET else shortage.posts
    subdivision = (
        v.subdivision(changes.subdivision, shortage.host_country)
        if changes.subdivision is not UNSET
        else shortage.subdivision
    )
    languages = (
        v.languages(changes.languages)
        if changes.languages is not UNSET
        else {lang.language_code: lang.level for lang in shortage.languages}
    )
    starts_on = changes.starts_on if changes.starts_on is not UNSET else shortage.starts_on
    ends_on = changes.ends_on if changes.ends_on is not UNSET else shortage.ends_on
    v.period(starts_on, ends_on)
    source = (
        v.check.text("source", changes.source, max_length=500)
        if changes.source is not UNSET
        else shortage.source
    )
    v.check.raise_if_any()
    shortage.posts, shortage.subdivision = posts, subdivision
    shortage.starts_on, shortage.ends_on, shortage.source = starts_on, ends_on, source
    if changes.recognition_required is not UNSET:
        shortage.recognition_required = changes.recognition_required
    if changes.languages is not UNSET:
        shortage.languages = [
            ShortageLanguage(language_code=c, level=lv) for c, lv in languages.items()
        ]
        # The row itself may be unchanged: bump its version so the change is detected.
        shortage.updated_at = utcnow()
    await session.flush()
    await record_event(
        session,
        principal,
        "shortage.updated",
        "Shortage",
        str(shortage.id),
        before=before,
        after=_snapshot(shortage, languages),
    )
    return shortage


def _snapshot(shortage: Shortage, languages: dict[str, LanguageLevel]) -> dict[str, object]:
    values = snapshot(shortage, COLUMNS)
    values["languages"] = {code: level.value for code, level in sorted(languages.items())}
    return values


def parse_languages(text: str) -> list[tuple[str, LanguageLevel]]:
    """``deu:B2;eng:B1`` to pairs. Raises ValueError naming the bad part."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code, sep, level = part.partition(":")
        if not sep:
            raise ValueError(f"{part!r} is not language:LEVEL")
        try:
            pairs.append((code.strip(), LanguageLevel(level.strip())))
        except ValueError:
            raise ValueError(f"{level.strip()!r} is not a CEFR level (A1..C2, native)") from None
    return pairs


async def import_csv(
    session: AsyncSession,
    catalog: ReferenceCatalog,
    matcher: TitleMatcher,
    principal: Principal,
    text: str,
) -> list[Shortage]:
    """Every row or none: all problems are reported with their line numbers first."""
    _recorder(principal)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    issues = Issues()
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        issues.add("csv", "missing_column", f"the file needs columns {', '.join(missing)}")
        issues.raise_if_any()
    created: list[Shortage] = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_IMPORT_ROWS + 1:
            issues.add("csv", "too_many_rows", f"at most {MAX_IMPORT_ROWS} rows a file")
            break
        prefix = f"csv.line[{line}]"
        data = _row_data(row, prefix, issues)
        if data is None:
            continue
        shortage = await create(
            session, catalog, matcher, principal, data, prefix=prefix, issues=issues
        )
        if shortage is not None:
            created.append(shortage)
    issues.raise_if_any()  # the caller's transaction rolls back what was added
    return created


def _row_data(row: dict[str, str | None], prefix: str, issues: Issues) -> ShortageData | None:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    bad = len(issues.items)
    posts = 0
    try:
        posts = int(cell("posts"))
    except ValueError:
        issues.add(f"{prefix}.posts", "not_a_number", f"{cell('posts')!r} is not a whole number")
    dates: dict[str, date | None] = {}
    for name in ("start", "end"):
        try:
            dates[name] = date.fromisoformat(cell(name)) if cell(name) else None
        except ValueError:
            issues.add(f"{prefix}.{name}", "not_a_date", f"{cell(name)!r} is not YYYY-MM-DD")
    if not cell("start"):
        issues.add(f"{prefix}.start", "required", "must not be empty")
    employer = None
    if cell("employer"):
        try:
            employer = uuid.UUID(cell("employer"))
        except ValueError:
            issues.add(f"{prefix}.employer", "not_an_id", "must be an organisation's UUID")
    required = cell("recognition_required").lower() or "true"
    if required not in ("true", "false", "yes", "no", "1", "0"):
        issues.add(f"{prefix}.recognition_required", "not_a_boolean", "true or false")
    try:
        languages = parse_languages(cell("languages"))
    except ValueError as exc:
        issues.add(f"{prefix}.languages", "invalid", str(exc))
        languages = []
    if len(issues.items) > bad or dates.get("start") is None:
        return None
    start = dates["start"]
    assert start is not None
    return ShortageData(
        host_country=cell("country"),
        posts=posts,
        starts_on=start,
        source=cell("source"),
        isco_code=cell("isco_code") or None,
        title=cell("title") or None,
        subdivision=cell("subdivision") or None,
        employer_id=employer,
        languages=languages,
        recognition_required=required in ("true", "yes", "1"),
        ends_on=dates.get("end"),
    )


async def _get(session: AsyncSession, shortage_id: uuid.UUID) -> Shortage | None:
    return await session.scalar(
        select(Shortage).where(Shortage.id == shortage_id).options(selectinload(Shortage.languages))
    )


async def get_many(
    session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Shortage]:
    require_reader(principal)
    # One statement: a shortage has at most ten languages to join.
    found = await session.scalars(
        select(Shortage).where(Shortage.id.in_(ids)).options(joinedload(Shortage.languages))
    )
    return {s.id: s for s in found.unique()}


SHORTAGE_ORDER = KeysetOrder("shortages-start", (Shortage.starts_on, Shortage.id))


@dataclass(frozen=True, slots=True)
class ShortageFilter:
    host_country: str | None = None
    isco_code: str | None = None
    open_on: date | None = None


def filter_clause(spec: ShortageFilter) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [true()]
    if spec.host_country:
        clauses.append(Shortage.host_country == spec.host_country)
    if spec.isco_code:
        clauses.append(Shortage.isco_code == spec.isco_code)
    if spec.open_on:
        clauses.append(or_(Shortage.ends_on.is_(None), Shortage.ends_on >= spec.open_on))
    return and_(*clauses)


async def page(
    session: AsyncSession,
    principal: Principal,
    spec: ShortageFilter,
    request: PageRequest,
    with_total: bool,
) -> Page[Shortage]:
    require_reader(principal)
    where = filter_clause(spec)
    statement = select(Shortage).where(where).options(selectinload(Shortage.languages))
    if request.after is not None:
        statement = statement.where(
            SHORTAGE_ORDER.after(decode_cursor(SHORTAGE_ORDER, request.after))
        )
    rows = list(
        await session.scalars(
            statement.order_by(*SHORTAGE_ORDER.order_by()).limit(request.first + 1)
        )
    )
    total = (
        await session.scalar(select(func.count()).select_from(Shortage).where(where))
        if with_total
        else None
    )
    return build_page(rows, SHORTAGE_ORDER, request, total)
