"""How well a person fits a shortage: explained factors, each with a weight, a value and a
sentence. Pure: the facts come in, the score and its explanation come out.

The value tables below are the single source of the score. ``ranking.py`` evaluates the
same tables in SQL to order candidates across the whole registry, and a test checks that
both give the same score for every candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from registry.professionals.enums import LanguageLevel
from registry.shortages.enums import CodeStatus, Readiness

# Pairs close enough that one can fill the other's post, at a lower weight: a specialist a
# generalist's, a nurse or midwife at the other ISCO level. Anything else never matches.
CLOSE_OCCUPATIONS: dict[str, frozenset[str]] = {
    "2211": frozenset({"2212"}),
    "2212": frozenset({"2211"}),
    "2221": frozenset({"3221"}),
    "3221": frozenset({"2221"}),
    "2222": frozenset({"3222"}),
    "3222": frozenset({"2222"}),
}


class OccupationFit(StrEnum):
    SAME = "same"
    CLOSE = "close"


class RecognitionState(StrEnum):
    LICENSED = "licensed"  # an active licence there
    RECOGNISED = "recognised"  # a positive decision there, no licence yet
    IN_PROGRESS = "in_progress"  # a case open there
    NONE = "none"


WEIGHTS = {
    "occupation": 35,
    "recognition": 25,
    "language": 20,
    "residence": 10,
    "who_code": 5,
    "consent": 5,
}
OCCUPATION_VALUES = {OccupationFit.SAME: 100, OccupationFit.CLOSE: 60}
RECOGNITION_VALUES = {
    RecognitionState.LICENSED: 100,
    RecognitionState.RECOGNISED: 75,
    RecognitionState.IN_PROGRESS: 40,
    RecognitionState.NONE: 0,
}
CODE_VALUES = {
    CodeStatus.IN_COUNTRY: 100,
    CodeStatus.NOT_LISTED: 100,
    CodeStatus.UNDER_AGREEMENT: 100,
    CodeStatus.UNKNOWN: 50,
    CodeStatus.MUST_NOT_ACTIVELY_RECRUIT: 0,
}
MAX_SCORE = 100 * sum(WEIGHTS.values())  # scores are integers in hundredths of a point


def fit_codes(isco_code: str) -> dict[str, OccupationFit]:
    return {
        isco_code: OccupationFit.SAME,
        **dict.fromkeys(CLOSE_OCCUPATIONS.get(isco_code, ()), OccupationFit.CLOSE),
    }


def level_rank(level: LanguageLevel) -> int:
    """A1 = 1 ... C2 = 6, native = 7."""
    return level.rank + 1


def language_points(has: LanguageLevel | None, wanted: LanguageLevel) -> int:
    """Full points at or above the wanted level, a share below it, none without it."""
    if has is None:
        return 0
    return min(level_rank(has), level_rank(wanted)) * 100 // level_rank(wanted)


def language_value(points: list[int]) -> int:
    return sum(points) // len(points) if points else 100


@dataclass(frozen=True, slots=True)
class WantedLanguage:
    code: str
    level: LanguageLevel


@dataclass(frozen=True, slots=True)
class PostFacts:
    host_country: str
    isco_code: str
    recognition_required: bool
    languages: tuple[WantedLanguage, ...]


@dataclass(frozen=True, slots=True)
class PersonFacts:
    occupation: OccupationFit
    trained_as: str  # the ISCO code that gave the fit
    recognition: RecognitionState
    languages: dict[str, LanguageLevel]
    residence_country: str
    code_status: CodeStatus
    consent: bool


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    weight: int
    value: int  # 0..100
    explanation: str


@dataclass(frozen=True, slots=True)
class Scored:
    score: int  # 0..MAX_SCORE
    readiness: Readiness
    code_status: CodeStatus
    factors: tuple[Factor, ...]

    @property
    def points(self) -> float:
        """The score on a 0-100 scale."""
        return self.score / 100


def readiness(post: PostFacts, recognition: RecognitionState) -> Readiness:
    if not post.recognition_required or recognition in (
        RecognitionState.LICENSED,
        RecognitionState.RECOGNISED,
    ):
        return Readiness.READY_NOW
    return Readiness.AFTER_RECOGNITION


def score(post: PostFacts, person: PersonFacts) -> Scored:
    host, code = post.host_country, post.isco_code
    if person.occupation is OccupationFit.SAME:
        occupation = f"trained for {code}, the posts' occupation"
    else:
        occupation = f"trained for {person.trained_as}, close to {code}: counts at a lower weight"
    recognition = {
        RecognitionState.LICENSED: f"holds an active licence in {host}",
        RecognitionState.RECOGNISED: f"recognised in {host}, licence not yet issued",
        RecognitionState.IN_PROGRESS: f"recognition case open in {host}",
        RecognitionState.NONE: f"no recognition in {host} yet",
    }[person.recognition]
    if post.recognition_required and person.recognition not in (
        RecognitionState.LICENSED,
        RecognitionState.RECOGNISED,
    ):
        recognition += "; the posts need it complete"
    points = [language_points(person.languages.get(w.code), w.level) for w in post.languages]
    if post.languages:
        language = "; ".join(
            f"{w.code}: {_level(person.languages.get(w.code))} for {w.level.value} wanted"
            for w in post.languages
        )
    else:
        language = "the posts name no language"
    in_host = person.residence_country == host
    residence = (
        f"lives in {host}" if in_host else f"lives in {person.residence_country}, not {host}"
    )
    who_code = {
        CodeStatus.IN_COUNTRY: "already lives in the host country: not international recruitment",
        CodeStatus.NOT_LISTED: "not from a country on the WHO safeguard list in force",
        CodeStatus.UNDER_AGREEMENT: "from a listed country, covered by a government agreement",
        CodeStatus.MUST_NOT_ACTIVELY_RECRUIT: "from a country on the WHO safeguard list without "
        "an agreement: must not be actively recruited (Code art. 5.1); a direct application "
        "remains their right",
        CodeStatus.UNKNOWN: "no safeguard-list edition in force: review before recruiting",
    }[person.code_status]
    consent = (
        "consents to be shown to placement agencies"
        if person.consent
        else "has not consented to be shown to placement agencies"
    )
    values = {
        "occupation": (OCCUPATION_VALUES[person.occupation], occupation),
        "recognition": (RECOGNITION_VALUES[person.recognition], recognition),
        "language": (language_value(points), language),
        "residence": (100 if in_host else 0, residence),
        "who_code": (CODE_VALUES[person.code_status], who_code),
        "consent": (100 if person.consent else 0, consent),
    }
    factors = tuple(
        Factor(name, WEIGHTS[name], value, sentence) for name, (value, sentence) in values.items()
    )
    return Scored(
        sum(f.weight * f.value for f in factors),
        readiness(post, person.recognition),
        person.code_status,
        factors,
    )


def _level(level: LanguageLevel | None) -> str:
    return level.value if level else "none"
