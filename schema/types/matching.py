from __future__ import annotations

import strawberry

from matching.titles import MatchResult
from registry.reference.catalog import ReferenceCatalog
from schema.types.reference import Occupation


@strawberry.type
class MappingCandidate:
    occupation: Occupation
    score: float = strawberry.field(description="0-100; 100 is an exact alias")
    matched_alias: str = strawberry.field(
        description="The alias that matched; for a vocabulary match, the alias words that "
        "carried the evidence, joined by ' + '"
    )


@strawberry.type
class TitleMapping:
    status: str = strawberry.field(description="matched, ambiguous or unmatched")
    method: str | None = strawberry.field(
        description="alias (exact), fuzzy (an alias explains the title closely) or vocabulary "
        "(no alias does; every word of the title is one unit group's vocabulary)"
    )
    candidates: list[MappingCandidate] = strawberry.field(description="Best first, at most 5")
    alias_table_version: str
    reasons: list[str]

    @classmethod
    def from_result(cls, result: MatchResult, catalog: ReferenceCatalog) -> TitleMapping:
        candidates = []
        for candidate in result.candidates:
            occupation = catalog.occupation(candidate.isco_code)
            if occupation is not None:
                candidates.append(
                    MappingCandidate(
                        occupation=Occupation.from_info(occupation),
                        score=candidate.score,
                        matched_alias=candidate.alias,
                    )
                )
        return cls(
            status=result.status.value,
            method=result.method.value if result.method else None,
            candidates=candidates,
            alias_table_version=result.alias_table_version,
            reasons=list(result.reasons),
        )
