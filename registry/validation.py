"""Field checks shared by every service. Each adds a precise issue (field path, code,
message) instead of raising, so a client learns everything wrong in one round trip."""

from __future__ import annotations

from datetime import date

import pycountry

from registry.errors import Issues
from registry.reference.catalog import ReferenceCatalog, language


class Checker:
    def __init__(self, catalog: ReferenceCatalog, prefix: str = "input") -> None:
        self.catalog = catalog
        self.prefix = prefix
        self.issues = Issues()

    def path(self, field: str) -> str:
        return f"{self.prefix}.{field}" if self.prefix else field

    def fail(self, field: str, code: str, message: str) -> None:
        self.issues.add(self.path(field), code, message)

    def text(self, field: str, value: str, *, max_length: int, required: bool = True) -> str:
        cleaned = " ".join(value.split())
        if required and not cleaned:
            self.fail(field, "required", "must not be empty")
        elif len(cleaned) > max_length:
            self.fail(field, "too_long", f"must be at most {max_length} characters")
        elif any(ord(ch) < 32 for ch in value if ch not in "\t\n\r"):
            self.fail(field, "invalid_characters", "contains control characters")
        return cleaned

    def country(self, field: str, code: str) -> str:
        normalised = code.strip().upper()
        if self.catalog.country(normalised) is None:
            self.fail(field, "unknown_country", f"{code!r} is not an ISO 3166-1 alpha-2 code")
        return normalised

    def language(self, field: str, code: str) -> str:
        info = language(code.strip())
        if info is None:
            self.fail(field, "unknown_language", f"{code!r} is not an ISO 639-1 or 639-3 code")
            return code
        return info.code

    def subdivision(self, field: str, code: str, country: str) -> str:
        normalised = code.strip().upper()
        entry = pycountry.subdivisions.get(code=normalised)  # type: ignore[no-untyped-call]
        if entry is None:
            self.fail(field, "unknown_subdivision", f"{code!r} is not an ISO 3166-2 code")
        elif entry.country_code != country:
            self.fail(field, "wrong_country", f"{normalised} is not a subdivision of {country}")
        return normalised

    def occupation(self, field: str, code: str) -> str:
        normalised = code.strip()
        if self.catalog.occupation(normalised) is None:
            self.fail(
                field, "unknown_occupation", f"{code!r} is not an ISCO-08 health unit group code"
            )
        return normalised

    def past_date(self, field: str, value: date, *, today: date, max_years: int) -> None:
        if value > today:
            self.fail(field, "in_future", "must not be in the future")
        elif value.year < today.year - max_years:
            self.fail(field, "too_old", f"must be within the last {max_years} years")

    def raise_if_any(self) -> None:
        self.issues.raise_if_any()
