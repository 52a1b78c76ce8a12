"""Maps a qualification or job title, in any language, to an ISCO-08 unit group.

1. Exact: the normalised title equals a normalised alias. ESCO alternative labels alone do
   not decide: ESCO files some under a neighbouring occupation, so they compete in scoring.
2. Scoring: each title word finds the alias words like it (a symmetric-deletion index and
   rapidfuzz, inflected stems, compound heads; loosely and at a discount when nothing is
   close). An alias scores by the share of its words in the title and, less, the share of
   the title it explains; a title inside a longer alias does not match it ("nurse" is not
   "nurse anaesthetist"). Every alias is scored at once as numpy vectors, and each
   occupation keeps its best alias.
3. Cues read the title's structure, from curated words in ``data/cues.csv``: a doctor's
   title naming a field is a specialist's, an assistant's title is not the professional's,
   the word for a nurse names the nursing professional, "with higher education" lifts an
   associate to the professional, "specialist" qualifies the occupation written with it.
4. The decision keeps a margin to the runner-up: close calls are ``ambiguous`` with ranked
   candidates, because a wrong confident code is worse than "needs review".
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pycountry
from anyascii import anyascii
from rapidfuzz import fuzz, process

from matching.aliases import AliasTable, load_alias_table
from matching.normalise import strip_accents

MATCH_THRESHOLD = 80.0
MARGIN = 8.0
# A weaker best alias still decides when nothing else comes close: a doctor's title naming
# a field no alias has scores about 73, with the runner-up 30 or more points behind.
CLEAR_THRESHOLD = 65.0
CLEAR_MARGIN = 25.0
AMBIGUOUS_THRESHOLD = 55.0
MIN_ALIAS_COVERAGE = 0.34
CONTAINED = 0.85  # share of an alias's words found in the title for it to "support" a code
# A word explained this much less is explained by a different reading: exact against a
# compound head ("zobozdravnik" against "zdravnik"), not exact against an inflection.
DISTINCT_READING = 0.15
TOKEN_SIMILARITY = 88.0
LOOSE_SIMILARITY = 75.0
LOOSE_WEIGHT = 0.7
MIN_COMPOUND_HEAD = 5
MIN_MODIFIER = 3  # letters before a nurse's or doctor's word in a compound
MIN_STEM = 5
MIN_SHARED_STEM = 8
SHARED_STEM_SHARE = 0.7
SHARED_STEM_SIMILARITY = 0.75
MIN_FUZZY_WORD = 6
# Deletions indexed per alias word and tried per title word: two of each find every
# similar pair of words under 14 letters. Longer words, where a ratio of 88 allows a third
# deletion, are found when two suffice; going deeper would triple the index or the time a
# new title word takes, for pairs that inflected-stem matching mostly covers.
MAX_DELETIONS = 2
MAX_TITLE_LENGTH = 300
SAME_LANGUAGE_BONUS = 10.0
UNKNOWN_WORD_WEIGHT = 0.5
# The cues of a degree's title: the document, or the level of higher education.
DEGREE_CUES = ("credential", "higher_education")
OTHER_SYSTEMS = "*"  # a country hint that no alias's education system names
CROSS_LISTED_PRIORITY = -8

# Nurses at every level, and midwives (who in many systems are nurses first).
NURSING_CODES = frozenset({"2221", "3221", "5321", "2222", "3222"})

# Associate-level occupations whose professional level differs only by education.
PROFESSIONAL_LEVEL = {"3221": "2221", "3222": "2222", "3213": "2262"}

# Most specific first: a title naming a doctor and one of these is that occupation.
DOCTOR_PRECEDENCE = ("2250", "2261", "2263", "2212", "2211")

STOPWORDS = frozenset(
    """and und et y e i och og en of for in the a an der die das des dem den de la le les l d
    del da do dos das van voor het een te z w na v s u za ze pri pre pro al für fur im am zur
    zum di per con du aux au el los las o ou with med og och ja ir un ve ile na po dla
    и в с по для на з і та у до""".split()  # noqa: SIM905 - a word list reads best as text
)

_ARABIC_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ی",
     "\u0640": None, "\u200c": " ", "\u200d": None}
)  # fmt: skip
_LAST_CHARACTER = chr(0x10FFFF)  # sorts after every letter: stem + it ends stem's range
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A gender ending in brackets inside a word: "infirmier(ère)", "Medizinisch(er)e"; not
# "Nurse(RN)".
_BRACKETED_ENDING = re.compile(r"(?<=[^\W\d_])\([^\W\d_]{1,4}\)", re.UNICODE)


class MatchStatus(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"


class MatchMethod(StrEnum):
    ALIAS = "alias"
    FUZZY = "fuzzy"


@dataclass(frozen=True, slots=True)
class Candidate:
    isco_code: str
    score: float
    alias: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: MatchStatus
    candidates: tuple[Candidate, ...] = ()
    method: MatchMethod | None = None
    alias_table_version: str = ""
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def normalise_title(text: str) -> str:
    """Case, accents and script folded; Cyrillic and Greek transliterated to Latin (the
    original script is kept by the caller); Arabic-script letter variants unified.
    A gender ending written in brackets is dropped: the word stays one word."""
    text = _BRACKETED_ENDING.sub(lambda m: "" if m[0].islower() else m[0], text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
        text = strip_accents(text)
        if any("\u0370" <= ch <= "\u04ff" for ch in text):
            text = "".join(
                anyascii(ch).lower() if "\u0370" <= ch <= "\u04ff" else ch for ch in text
            )
    return " ".join(_WORD.findall(text.lower()))


def title_words(normalised: str) -> list[list[str]]:
    """The title's words without stopwords, forms of one word grouped together:
    "Assistent/Assistentin", "Ingénieur / Ingénieure", "tehničar/tehničarka" write one
    occupation in two genders, which is one word of the title, not two."""
    groups: list[list[str]] = []
    for token in normalised.split():
        if token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        group = next((g for g in groups if any(_same_word(token, form) for form in g)), None)
        if group is None:
            groups.append([token])
        elif token not in group:
            group.append(token)
    return groups


def alias_tokens(normalised: str, *, letters: bool = False) -> tuple[str, ...]:
    """An alias's words without stopwords, every form kept: an alias written in two genders
    ("tehničar/tehničarka za anesteziju") supports a title written in both more than a
    title written in one. With ``letters``, single letters are words too: in "O&P
    technician" or "D.Pharm" they are what the alias says beyond a generic word."""
    return tuple(
        t
        for t in normalised.split()
        if t not in STOPWORDS and (len(t) > 1 or t.isdigit() or letters)
    )


def _same_word(a: str, b: str) -> bool:
    """One word in two forms: the same stem, differing only in a short ending."""
    shorter = min(len(a), len(b))
    if a == b:
        return True
    return shorter >= 4 and abs(len(a) - len(b)) <= 4 and _common_prefix(a, b) >= shorter - 1


@dataclass(frozen=True, slots=True)
class _Entry:
    text: str
    isco_code: str
    language: str
    tokens: tuple[str, ...]
    priority: int
    countries: frozenset[str]  # where it holds; empty: everywhere
    degree_only: bool

    def holds_in(self, country: str | None) -> bool:
        return not self.countries or country is None or country in self.countries


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    alias_cov: float
    entry: _Entry
    coverage: tuple[float, ...]  # how well each title word is explained by the alias


@dataclass(slots=True)
class _Title:
    """A title's words as the cue rules read them: each cue kind's positions are worked
    out once, whichever rules ask."""

    tokens: tuple[str, ...]
    similar: list[dict[str, float]]
    kinds: list[frozenset[str]]  # the cue kinds of each word
    found: dict[str, list[int]] = field(default_factory=dict)

    def cues(self, kind: str) -> list[int]:
        if kind not in self.found:
            self.found[kind] = [i for i, kinds in enumerate(self.kinds) if kind in kinds]
        return self.found[kind]


def source_priority(source: str) -> int:
    """ESCO lists some labels under a second occupation as "alternative": a curated alias,
    an ISCO title or an ESCO preferred label is stronger evidence."""
    if source.startswith("ESCO alternative"):
        return 0
    if source.startswith("ESCO"):
        return 1
    return 2


class TitleMatcher:
    def __init__(self, table: AliasTable | None = None) -> None:
        self.table = table or load_alias_table()
        self.version = self.table.version
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        # token -> (entry index, the token's share of that entry's words)
        by_token: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._entries: list[_Entry] = []
        keys = [normalise_title(alias.text) for alias in self.table.aliases]
        named: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key, alias in zip(keys, self.table.aliases, strict=True):
            if source_priority(alias.source) > 0 and not alias.degree_only:
                named[key, alias.language].add(alias.isco_code)
        for key, alias in zip(keys, self.table.aliases, strict=True):
            letters = any(len(w) == 1 and w.isupper() for w in _WORD.findall(alias.text))
            tokens = alias_tokens(key, letters=letters)
            if not tokens:
                continue
            priority = source_priority(alias.source)
            named_as = named.get((key, alias.language), set())
            if priority == 0 and named_as and alias.isco_code not in named_as:
                # ESCO lists the name of a neighbouring occupation as an alternative label
                # ("sage-femme" under health care assistants): the name is that occupation's.
                priority = CROSS_LISTED_PRIORITY
            entry = _Entry(
                alias.text,
                alias.isco_code,
                alias.language,
                tokens,
                priority,
                alias.countries,
                alias.degree_only,
            )
            if not entry.degree_only:
                self._exact[key].append(entry)
            index = len(self._entries)
            self._entries.append(entry)
            for token in set(tokens):
                by_token[token].append((index, tokens.count(token) / len(tokens)))
        # As arrays, so that summing a title's words over all aliases is a few vector adds.
        self._by_token = {
            token: (
                np.array([index for index, _ in postings], dtype=np.intp),
                np.array([share for _, share in postings]),
            )
            for token, postings in by_token.items()
        }
        self._vocabulary = sorted(by_token)
        # Words only fields of study have: outside a degree's title nothing reads them.
        self._field_words = frozenset(
            t for e in self._entries if e.degree_only for t in e.tokens
        ) - {t for e in self._entries if not e.degree_only for t in e.tokens}
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for token in self._vocabulary:
            if token not in self._field_words:
                self._by_initial[token[0]].append(token)
        self._priorities = np.array([e.priority for e in self._entries], dtype=float)
        code_ids = {code: i for i, code in enumerate(sorted({e.isco_code for e in self._entries}))}
        self._codes = np.array([code_ids[e.isco_code] for e in self._entries])
        self._language_ids = {
            language: i for i, language in enumerate(sorted({e.language for e in self._entries}))
        }
        self._languages = np.array([self._language_ids[e.language] for e in self._entries])
        # A symmetric-deletion index: every alias word of four letters or more under each
        # string a few deleted letters away. Two words are similar enough to count only
        # within a few deletions of each other (see _deletion_depth), so a title word finds
        # them through its own deletions without comparing against the whole vocabulary.
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        for token in self._vocabulary:
            if len(token) >= 4:
                depth = min(_deletion_depth(token), MAX_DELETIONS)
                for variant in _deletions(token, depth):
                    self._by_deletion[variant].append(token)
        self._doctor_words = self._find_doctor_words()
        self._cues = {
            kind: frozenset(normalise_title(w) for w in words)
            for kind, words in self.table.cues.items()
        }
        self._cue_spellings = {kind: _spellings(words) for kind, words in self._cues.items()}
        # Compounding languages write "home nurse" and "family doctor" as one word
        # ("koduõde", "perearst"): a title word no alias knows, ending in that language's
        # word for a nurse or a doctor, is read as a field and that word.
        # A degree is written the same way in every language ("läkarexamen",
        # "Hebammendiplom"): the profession, then the document.
        documents = {w for w in self._cues.get("credential", ()) if len(w) >= MIN_COMPOUND_HEAD}
        heads: dict[str, set[str]] = defaultdict(lambda: set(documents))
        for kind, words in self.table.cue_languages.items():
            if kind in ("nurse", "doctor"):
                for word, language in words:
                    key = normalise_title(word)
                    if language and " " not in key:
                        heads[language].add(key)
        self._compound_heads = {
            language: sorted(words, key=lambda w: (-len(w), w)) for language, words in heads.items()
        }
        self._document_heads = sorted(documents, key=lambda w: (-len(w), w))
        # Bounded so that memory stays flat on a file of millions of titles.
        self.similar_words = lru_cache(maxsize=100_000)(self._similar_words)
        self._word_vectors = lru_cache(maxsize=50_000)(self._vectors_of)
        self._loose = lru_cache(maxsize=50_000)(self._loosely_similar)
        self._cue_kinds = lru_cache(maxsize=100_000)(self._cue_kinds_of)
        self._compound_head = lru_cache(maxsize=100_000)(self._compound_head_of)
        self._cached_match = lru_cache(maxsize=100_000)(self._match)
        self._system_countries = frozenset().union(*(e.countries for e in self._entries))
        self._left_out = lru_cache(maxsize=None)(self._left_out_of)

    def _find_doctor_words(self) -> frozenset[str]:
        """Words for "doctor" in every language of the tables: the curated ones (cues.csv),
        and one-word generalist aliases found in the data ("врач", "shifokor", "lekarz";
        not abbreviations such as "MD")."""
        words = {normalise_title(w) for w in self.table.cues.get("doctor", ())}
        for entry in self._entries:
            if (
                entry.isco_code == "2211"
                and len(entry.tokens) == 1
                and len(entry.tokens[0]) >= 4
                and not entry.text.isupper()
                and "." not in entry.text
            ):
                words.add(entry.tokens[0])
        return frozenset(words)

    def match(
        self, title: str, language: str | None = None, country: str | None = None
    ) -> MatchResult:
        """``language`` favours that language's aliases. ``country``, where the title was
        awarded or used, leaves out aliases whose level holds only in other education
        systems ("медсестра" is a college-trained associate nurse in the CIS, a nurse
        elsewhere)."""
        if not title or not title.strip():
            return MatchResult(
                MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=("empty title",)
            )
        language = language_key(language)
        if language not in self._language_ids:
            language = None  # no alias is written in it: the hint cannot favour any
        country = (country or "").strip().upper()[:2] or None
        if country is not None and country not in self._system_countries:
            country = OTHER_SYSTEMS  # one cache entry for every country no alias names
        # Cached by the normalised title: exports repeat a title in every casing and spacing.
        return self._cached_match(normalise_title(title[:MAX_TITLE_LENGTH]), language, country)

    def _match(self, key: str, language: str | None, country: str | None) -> MatchResult:
        words = title_words(key)
        if not words:
            return MatchResult(
                MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=("no words",)
            )
        exact = [e for e in self._exact.get(key, ()) if e.holds_in(country)]
        if exact:
            result = self._decide_exact(exact, language)
            if result is not None:
                return result
        return self._decide_fuzzy(words, language, country)

    def _decide_exact(self, entries: list[_Entry], language: str | None) -> MatchResult | None:
        top = max(e.priority for e in entries)
        if top <= 0:
            # Only a secondary label of another language ("ortopeed" is a Dutch label of
            # an orthopaedic technician): a false friend until scoring says otherwise.
            return None
        entries = [e for e in entries if e.priority == top]
        codes = {e.isco_code for e in entries}
        if len(codes) > 1 and language:
            same = [e for e in entries if e.language == language]
            if same and len({e.isco_code for e in same}) == 1:
                entries = same
                codes = {entries[0].isco_code}
        if len(codes) == 1:
            entry = entries[0]
            return MatchResult(
                MatchStatus.MATCHED,
                (Candidate(entry.isco_code, 100.0, entry.text),),
                MatchMethod.ALIAS,
                self.version,
                ("exact alias",),
            )
        return None  # the same words name several occupations: let scoring rank them

    def _similar_words(self, token: str) -> dict[str, float]:
        """Alias words that a title word may stand for, each with a similarity in (0, 1]."""
        found: dict[str, float] = {}
        if token in self._by_token:
            found[token] = 1.0
        # One edit makes a short word another word ("masa" nurse, "moasa" midwife): only
        # longer words are matched by edit distance.
        if len(token) >= MIN_FUZZY_WORD:
            variants = _deletions(token, min(_deletion_depth(token), MAX_DELETIONS))
            near = {
                other
                for variant in self._by_deletion.keys() & variants
                for other in self._by_deletion[variant]
            }
            for other, score, _ in process.extract(
                token, sorted(near), scorer=fuzz.ratio, score_cutoff=TOKEN_SIMILARITY, limit=None
            ):
                found.setdefault(other, score / 100)
        # Inflected forms share a stem: "sestry" / "sestra", "kardiologie" / "kardiolog".
        # All but the last two letters of the longer word are shared, so the other word
        # starts with all but the last two of this one: a range of the sorted vocabulary.
        if len(token) >= MIN_STEM:
            for other in self._starting_with(token[: max(MIN_STEM, len(token) - 2)]):
                if (
                    other not in found
                    and _common_prefix(token, other) >= max(len(token), len(other)) - 2
                ):
                    found[other] = 0.9
        # A field and its practitioner share a long stem: "fizjoterapii" / "fizjoterapeuta",
        # "physiotherapy" / "physiotherapist".
        if len(token) >= MIN_SHARED_STEM:
            stem = token[: max(MIN_SHARED_STEM, math.ceil(SHARED_STEM_SHARE * len(token)))]
            for other in self._starting_with(stem):
                if other not in found and _common_prefix(token, other) >= SHARED_STEM_SHARE * len(
                    other
                ):
                    found[other] = SHARED_STEM_SIMILARITY
        # A compound ending in a known word is that word's kind: "kinderkrankenschwester".
        # The head explains the word as far as its letters go: a long modifier
        # ("veterinār-ārsts") may itself be what decides.
        for start in range(1, len(token) - MIN_COMPOUND_HEAD + 1):
            head = token[start:]
            if head in self._by_token:
                found.setdefault(head, 0.5 + 0.45 * len(head) / len(token))
                break
        return found

    def _starting_with(self, stem: str) -> list[str]:
        """The alias words starting with ``stem``: a range of the sorted vocabulary."""
        start = bisect_left(self._vocabulary, stem)
        end = bisect_left(self._vocabulary, stem + _LAST_CHARACTER, start)
        return self._vocabulary[start:end]

    def _loosely_similar(self, token: str) -> dict[str, float]:
        """For a word nothing resembles closely ("fizjoterapii" against "fizjoterapeuta"):
        its nearest alias words at a discount, enough to rank a candidate for a person to
        confirm, never enough to decide alone."""
        if len(token) < MIN_FUZZY_WORD:
            return {}
        # Only words with the same first letter: a loose match that also changes the first
        # letter is more often another word than the same one.
        pool = self._by_initial.get(token[0], [])
        return {
            other: LOOSE_WEIGHT * score / 100
            for other, score, _ in process.extract(
                token, pool, scorer=fuzz.ratio, score_cutoff=LOOSE_SIMILARITY, limit=3
            )
        }

    def _doctor_of_a_field(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        title: _Title,
        reasons: list[str],
    ) -> tuple[list[tuple[str, _Scored]], set[str]]:
        """ "Врач ультразвуковой диагностики", "Arts voor maatschappij en gezondheid": a bare
        doctor word followed by a field the generalist alias does not explain names a
        specialist."""
        code, top = ranked[0]
        if code != "2211" or top.alias_cov < CONTAINED:
            return ranked, demoted
        doctor_positions = [
            i for i, m in enumerate(title.similar) if any(w in self._doctor_words for w in m)
        ]
        if not doctor_positions or not set(top.entry.tokens) <= self._doctor_words:
            return ranked, demoted
        unexplained = [
            i for i, c in enumerate(top.coverage) if c < 0.5 and len(title.tokens[i]) > 3
        ]
        if not unexplained or title.cues("credential"):
            # A degree document ("Diplom ... Doktor der Medizin") names no field of practice.
            return ranked, demoted
        if title.cues("nurse"):
            return ranked, demoted  # a doctor's word describing a nurse's field
        if set(unexplained) <= set(title.cues("general_practice")):
            reasons.append("doctor of general or family practice")
            return ranked, demoted
        specialist = next((s for c, s in ranked if c == "2212"), None)
        entry = specialist.entry if specialist else top.entry
        scored = _Scored(top.score, top.alias_cov, entry, top.coverage)
        reasons.append("doctor's title naming a field of medicine")
        return _best_gives_way(ranked, ("2212", scored)), demoted | {"2211"}

    def _nurse_of_a_field(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        title: _Title,
        reasons: list[str],
    ) -> tuple[list[tuple[str, _Scored]], set[str]]:
        """A nurse's title naming a field of care ("Sestra pre kardiológiu"): a specialised
        nurse, which is a nursing professional. The field's doctor or therapist, whose
        alias leaves the nurse word unexplained, is no candidate; if it was the best alias,
        the nursing professional takes its place."""
        code, top = ranked[0]
        nurse = title.cues("nurse")
        if not nurse:
            return ranked, demoted

        def names_the_field_only(scored: _Scored) -> bool:
            # A word matched exactly may be the occupation itself ("Nurse anaesthetist"),
            # not a field of care in its inflected form ("Kardiologijas māsa"): a person
            # decides between the two.
            return all(scored.coverage[i] < 0.5 for i in nurse) and not any(
                c >= 1.0 for i, c in enumerate(scored.coverage) if i not in nurse
            )

        if code in NURSING_CODES:
            fields = {c for c, scored in ranked[1:] if c not in NURSING_CODES
                      and names_the_field_only(scored)}  # fmt: skip
            if fields:
                reasons.append("nurse's title naming a field of care")
            return ranked, demoted | fields
        if not names_the_field_only(top):
            return ranked, demoted
        professional = next((s for c, s in ranked if c == "2221"), None)
        entry = professional.entry if professional else top.entry
        reasons.append("nurse's title naming a field of care")
        scored = _Scored(top.score, top.alias_cov, entry, top.coverage)
        return _best_gives_way(ranked, ("2221", scored)), demoted | {code}

    def _cue_kinds_of(self, forms: tuple[str, ...]) -> frozenset[str]:
        """The cue kinds a title word is: a cue word as written, inflected ("ayudantes"), as
        the head of a compound ("laborassistent") or via a similar alias word. Loose matches
        are too weak to count, so the word's close matches decide, once per word."""
        close = [
            w
            for w, sim in _strongest(self.similar_words(form) for form in forms).items()
            if sim > SHARED_STEM_SIMILARITY
        ]
        return frozenset(
            kind
            for kind, words in self._cues.items()
            if not words.isdisjoint(close) or self._cue_spellings[kind].fullmatch(forms[0])
        )

    def _level_cues(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        title: _Title,
        reasons: list[str],
    ) -> tuple[list[tuple[str, _Scored]], set[str]]:
        """An assistant's title is not the professional's ("Ассистент врача-стоматолога" is
        a dental assistant): a professional best alias that leaves the assistant
        word unexplained gives way to the best associate-level candidate that explains it,
        or to nothing. "Without a specialisation" keeps a doctor's title generalist. A nurse,
        midwife or pharmacist "with higher education" ("Медицинская сестра с высшим
        образованием") is the professional, where the words alone name the associate."""
        occupations = self.table.occupations
        code, top = ranked[0]
        assistant = title.cues("assistant")
        if (
            assistant
            and occupations[code].level == "professional"
            and all(top.coverage[i] < 0.5 for i in assistant)
        ):
            reasons.append("assistant's title: the professional alias leaves the cue unexplained")
            associate = next(
                (
                    item
                    for item in ranked[1:]
                    if occupations[item[0]].level != "professional"
                    and any(item[1].coverage[i] >= 0.5 for i in assistant)
                ),
                None,
            )
            return _best_gives_way(ranked, associate), demoted | {code}
        if (
            code == "2212"
            and title.cues("generalist")
            and any(not self._doctor_words.isdisjoint(m) for m in title.similar)
        ):
            generalist = next((item for item in ranked if item[0] == "2211"), None)
            if generalist is not None:
                reasons.append("doctor's title without a specialisation")
                return _best_gives_way(ranked, generalist), demoted | {"2212"}
        specialist = title.cues("specialist")
        if (
            code == "2212"
            and specialist
            and any(
                not self._doctor_words.isdisjoint(m)
                for i, m in enumerate(title.similar)
                if i not in specialist
            )
        ):
            # "Zdravnik specialist ...": a doctor who is a specialist is a specialist doctor.
            reasons.append("doctor's title naming a specialist")
            return ranked, demoted | {"2211"}
        professional_code = PROFESSIONAL_LEVEL.get(code)
        if professional_code and title.cues("higher_education"):
            professional = next((item for item in ranked if item[0] == professional_code), None)
            if professional is not None:
                reasons.append("associate-level title with a higher-education qualification")
                return _best_gives_way(ranked, professional), demoted | {code}
        return ranked, demoted

    def _readings_inside_the_best(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        title: _Title,
        reasons: list[str],
    ) -> set[str]:
        """A candidate that explains no word of the title better than the best one, and some
        word clearly worse, reads only part of what the best one reads ("zdravnik" inside
        "zobozdravnik specialist"): it is no competing reading and leaves the margin alone.
        "Specialist" qualifies the occupation written with it ("Nutričný terapeut
        špecialista" is a dietitian), so no candidate (specialist doctors least, whose
        aliases are often the bare word) competes with that occupation through it alone."""
        code, top = ranked[0]
        qualifiers = set(title.cues("specialist")) if code != "2212" else set()
        read = [i for i in range(len(top.coverage)) if i not in qualifiers]
        mine = [top.coverage[i] for i in read]
        inside = set()
        for other, scored in ranked[1:]:
            theirs = [scored.coverage[i] for i in read]
            if all(t <= m + 0.05 for m, t in zip(mine, theirs, strict=True)) and any(
                t < m - DISTINCT_READING for m, t in zip(mine, theirs, strict=True)
            ):
                inside.add(other)
        if inside - demoted:
            reasons.append("other candidates read only part of the best one's words")
        return demoted | inside

    def _readable(self, matches: dict[str, float], fields: bool) -> dict[str, float]:
        """A title word's similar alias words that the title can use: fields of study only
        where it reads them (in a degree's title)."""
        if fields:
            return matches
        return {w: sim for w, sim in matches.items() if w not in self._field_words}

    def _vectors_of(
        self, forms: tuple[str, ...], fields: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What one title word (in all its written forms) does for every alias that shares
        a word with it: the aliases, the share of each alias's words it covers, and how well
        the alias explains it (its best-matching word's similarity). Worked out once per
        word, so that scoring a title takes a few vector operations per word."""
        matches = self._readable(_strongest(self.similar_words(form) for form in forms), fields)
        if _weak(matches):
            matches = _strongest((matches, self._loose(forms[0])))
        if not matches:
            empty = np.zeros(0)
            return empty.astype(np.intp), empty, empty
        postings = [self._by_token[word] for word in matches]
        sims = np.fromiter(matches.values(), float, len(matches))
        lengths = [len(indices) for indices, _ in postings]
        indices = np.concatenate([indices for indices, _ in postings])
        aliases, where = np.unique(indices, return_inverse=True)
        share = np.bincount(
            where, np.repeat(sims, lengths) * np.concatenate([s for _, s in postings])
        )
        explained = np.zeros(len(aliases))
        np.maximum.at(explained, where, np.repeat(sims, lengths))
        return aliases, share, explained

    def _best_alias_per_code(
        self,
        words: list[list[str]],
        similar: list[dict[str, float]],
        weights: np.ndarray,
        language: str | None,
        left_out: np.ndarray,
    ) -> dict[str, _Scored]:
        """Scores every alias sharing words with the title, as vectors over the table, and
        keeps each occupation's best: the highest score, then the higher alias coverage,
        then the earlier alias in the table."""
        # An alias's coverage is the summed similarity of its words found in the title. One
        # with under a third of its words there can neither decide nor rank in the top three
        # usefully, so it is left out.
        alias_covs = np.zeros(len(self._entries))
        coverage = np.zeros((len(similar), len(self._entries)))
        strongest = _strongest(similar)
        if len(strongest) == sum(map(len, similar)):
            # No alias word is like two words of the title: each title word's share can
            # simply be added up.
            for position, forms in enumerate(words):
                # Keyed by whether the word reads a field of study (only a degree's title
                # keeps those words), which is rare: most words' vectors are the same in a
                # degree's title and elsewhere.
                fields = not self._field_words.isdisjoint(similar[position])
                aliases, share, explained = self._word_vectors(tuple(forms), fields)
                alias_covs[aliases] += share
                coverage[position, aliases] = explained
        else:
            # An alias word like two title words counts once, at its best.
            for alias_token, sim in strongest.items():
                indices, shares = self._by_token[alias_token]
                alias_covs[indices] += sim * shares
            for position, matches in enumerate(similar):
                row = coverage[position]
                for alias_token, sim in matches.items():
                    indices, _ = self._by_token[alias_token]
                    row[indices] = np.maximum(row[indices], sim)
        alias_covs[left_out] = 0.0
        shortlist = np.flatnonzero(alias_covs >= MIN_ALIAS_COVERAGE)
        if not shortlist.size:
            return {}
        coverage = coverage[:, shortlist]
        covs = alias_covs[shortlist]
        same = (
            None if language is None else self._languages[shortlist] == self._language_ids[language]
        )
        scores = _final_score(
            _evidence(covs, weights @ coverage), self._priorities[shortlist], same
        )
        codes = self._codes[shortlist]
        order = np.lexsort((shortlist, -covs, -scores, codes))
        by_code = codes[order]
        first_of_code = np.ones(len(order), dtype=bool)
        np.not_equal(by_code[1:], by_code[:-1], out=first_of_code[1:])
        firsts = order[first_of_code]
        found = {}
        for index, score, alias_cov, explained in zip(
            shortlist[firsts].tolist(),
            scores[firsts].tolist(),
            covs[firsts].tolist(),
            coverage[:, firsts].T.tolist(),
            strict=True,
        ):
            entry = self._entries[index]
            found[entry.isco_code] = _Scored(score, alias_cov, entry, tuple(explained))
        return found

    def _split_compounds(self, words: list[list[str]], language: str | None) -> list[list[str]]:
        split: list[list[str]] = []
        for forms in words:
            head = self._compound_head(forms[0], language)
            if head is None:
                split.append(forms)
            else:
                split += [[forms[0][: -len(head)]], [head]]
        return split

    def _compound_head_of(self, word: str, language: str | None) -> str | None:
        """The head a word no alias knows is a compound of, if any: the longest."""
        heads = self._compound_heads.get(language or "", self._document_heads)
        head = next(
            (h for h in heads if word.endswith(h) and len(word) - len(h) >= MIN_MODIFIER), None
        )
        known = max(self.similar_words(word).values(), default=0.0) > SHARED_STEM_SIMILARITY
        return None if known else head

    def _left_out_of(self, country: str | None, degree: bool) -> np.ndarray:
        """The aliases that do not hold in the country's education system, and outside a
        degree's title the fields of study."""
        return np.array(
            [
                i
                for i, e in enumerate(self._entries)
                if not e.holds_in(country) or (e.degree_only and not degree)
            ],
            dtype=np.intp,
        )

    def _decide_fuzzy(
        self, words: list[list[str]], language: str | None, country: str | None
    ) -> MatchResult:
        words = self._split_compounds(words, language)
        tokens = tuple(forms[0] for forms in words)
        similar = [_strongest(self.similar_words(form) for form in forms) for forms in words]
        kinds = [self._cue_kinds(tuple(forms)) for forms in words]
        degree = [i for i, k in enumerate(kinds) if not k.isdisjoint(DEGREE_CUES)]
        similar = [self._readable(matches, bool(degree)) for matches in similar]
        weights = _word_weights(similar)
        similar = [
            _strongest((matches, self._loose(token))) if _weak(matches) else matches
            for matches, token in zip(similar, tokens, strict=True)
        ]
        title = _Title(tokens, similar, kinds)
        if degree and len(degree) < len(tokens):
            # "Diplom", "Master of ...": the degree's words say nothing about the
            # occupation, so they neither support nor count against any alias.
            weights[degree] = 0.0
            weights /= weights.sum()
        left_out = self._left_out(country, bool(degree))
        best = self._best_alias_per_code(words, similar, weights, language, left_out)
        if not best:
            return MatchResult(
                MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=("no alias words",)
            )
        ranked = sorted(best.items(), key=lambda item: (-item[1].score, item[0]))
        reasons: list[str] = []
        demoted: set[str] = set()
        if not title.cues("nurse"):
            # In a nurse's title a doctor's word describes the field ("Enfermeiro
            # especialista em enfermagem médico-cirúrgica").
            ranked, demoted = _apply_doctor_precedence(
                ranked,
                reasons,
                language,
                weights,
                assistant=bool(title.cues("assistant")),
            )
        ranked, demoted = self._doctor_of_a_field(ranked, demoted, title, reasons)
        ranked, demoted = self._nurse_of_a_field(ranked, demoted, title, reasons)
        ranked, demoted = self._level_cues(ranked, demoted, title, reasons)
        demoted = self._readings_inside_the_best(ranked, demoted, title, reasons)
        _, top = ranked[0]
        top_score, top_entry = top.score, top.entry
        runner_up = max((s.score for c, s in ranked[1:] if c not in demoted), default=0.0)
        candidates_out = tuple(
            Candidate(code, round(scored.score, 1), scored.entry.text)
            for code, scored in ranked[:5]
        )
        margin = top_score - runner_up
        # A cue that recognised a doctor's or a nurse's title naming a field decided on the
        # structure of the title; its score only measures how well the field was found.
        by_cue = bool(demoted) and ranked[0][0] in ("2212", "2221") and not title.cues("credential")
        if (
            (top_score >= MATCH_THRESHOLD and margin >= MARGIN)
            or (top_score >= CLEAR_THRESHOLD and margin >= CLEAR_MARGIN)
            or (by_cue and top_score >= AMBIGUOUS_THRESHOLD and margin >= CLEAR_MARGIN / 2)
        ):
            reasons.append(f"best alias {top_entry.text!r}, margin {top_score - runner_up:.1f}")
            return MatchResult(
                MatchStatus.MATCHED, candidates_out, MatchMethod.FUZZY, self.version, tuple(reasons)
            )
        if top_score >= AMBIGUOUS_THRESHOLD:
            reasons.append("close candidates" if top_score >= MATCH_THRESHOLD else "weak evidence")
            return MatchResult(
                MatchStatus.AMBIGUOUS,
                candidates_out,
                MatchMethod.FUZZY,
                self.version,
                tuple(reasons),
            )
        return MatchResult(
            MatchStatus.UNMATCHED, candidates_out, None, self.version, ("weak evidence",)
        )


# Individual languages whose speakers write the titles of their macrolanguage's aliases
# (Dari and Persian, Southern Pashto, Kurmanji and Sorani, Norwegian Bokmål and Nynorsk).
_LANGUAGE_OF_THE_ALIASES = {
    "prs": "fa", "pbu": "ps", "pbt": "ps", "pst": "ps", "kmr": "ku", "ckb": "ku", "sdh": "ku",
    "nb": "no", "nn": "no",
}  # fmt: skip


@lru_cache(maxsize=1024)  # bounded: the codes come from input files and requests
def language_key(code: str | None) -> str | None:
    """A language hint as the alias tables write it: ISO 639-1 where the language has a
    code there ("ukr" -> "uk", as the registry stores ISO 639-3), else ISO 639-3. A locale
    tag ("pt-BR") gives its language."""
    code = re.split(r"[-_]", (code or "").strip().lower())[0]
    if not code.isascii() or not code.isalpha() or len(code) not in (2, 3):
        return None
    if len(code) == 3:
        entry = pycountry.languages.get(alpha_3=code)
        code = getattr(entry, "alpha_2", code) if entry is not None else code
    return _LANGUAGE_OF_THE_ALIASES.get(code, code)


@cache
def default_matcher() -> TitleMatcher:
    """One matcher per process: building the indexes takes a third of a second."""
    return TitleMatcher()


def _spellings(words: frozenset[str]) -> re.Pattern[str]:
    """A word as written or with an ending of up to three letters ("ayudantes"), or a
    compound ending in a word of five letters or more ("laborassistent")."""
    by_length = sorted(words, key=lambda w: (-len(w), w))
    pattern = "(?:" + "|".join(map(re.escape, by_length)) + ").{0,3}"
    heads = [re.escape(w) for w in by_length if len(w) >= 5]
    if heads:
        pattern += "|.*(?:" + "|".join(heads) + ")"
    return re.compile(pattern)


def _deletion_depth(word: str) -> int:
    """How many of its letters a word can lose to reach a common subsequence with a word
    it is similar to. fuzz.ratio = 100 x (1 - d / (m + n)) for indel distance d, so a ratio
    of at least TOKEN_SIMILARITY allows d <= 0.12 (m + n); the word loses the most when the
    other word is a subsequence of it (n = m - k, d = k), which gives k <= 3m / 14."""
    share = 1 - TOKEN_SIMILARITY / 100
    return int(2 * share * len(word) / (1 + share) + 1e-9)


def _deletions(word: str, depth: int) -> set[str]:
    """The word and every string up to ``depth`` deleted letters away from it."""
    level = {word}
    found = {word}
    for _ in range(depth):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        found |= level
    return found


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _strongest(matches: Iterable[dict[str, float]]) -> dict[str, float]:
    """Each alias word once, with its highest similarity."""
    merged: dict[str, float] = {}
    for found in matches:
        for word, sim in found.items():
            if sim > merged.get(word, 0.0):
                merged[word] = sim
    return merged


def _weak(matches: dict[str, float]) -> bool:
    """Nothing resembles the word better than a loose match would (at most a compound
    head that explains little of it)."""
    return max(matches.values(), default=0.0) < LOOSE_WEIGHT


def _word_weights(similar: list[dict[str, float]]) -> np.ndarray:
    """How much each title word counts in title coverage. A word no alias has anything like
    ("oborech", a place name) says less for or against any occupation than one that some
    alias explains and this one does not."""
    weights = np.array([1.0 if matches else UNKNOWN_WORD_WEIGHT for matches in similar])
    weights /= weights.sum()
    return weights


def _evidence(alias_cov: Any, title_cov: Any) -> Any:
    """How much of the alias is in the title, and, less, how much of the title it explains."""
    return 100 * alias_cov * (0.55 + 0.45 * title_cov)


def _score(
    alias_cov: float, title_cov: float, entries: tuple[_Entry, ...], language: str | None
) -> float:
    """The score of a reading that takes its words from ``entries`` together: in the hinted
    language if any of them is."""
    same = None if language is None else any(e.language == language for e in entries)
    return float(_final_score(_evidence(alias_cov, title_cov), entries[0].priority, same))


def _final_score(evidence: Any, priority: Any, same_language: Any) -> Any:
    """Evidence plus the source's priority, capped at 99. With a language hint, its aliases
    come first: every other alias stays below the bonus's reach, so a same-language reading
    outranks an equally good foreign one. A penalty (a cross-listed label) is taken after
    the cap, where a title the label explains fully would lose it."""
    score = evidence + np.maximum(priority, 0.0)
    if same_language is not None:
        score = np.minimum(score, 99.0 - SAME_LANGUAGE_BONUS) + SAME_LANGUAGE_BONUS * same_language
    return np.minimum(score, 99.0) + np.minimum(priority, 0.0)


def _best_gives_way(
    ranked: list[tuple[str, _Scored]], head: tuple[str, _Scored] | None
) -> list[tuple[str, _Scored]]:
    """A cue overruled the best alias: ``head`` (or, without one, the runner-up) comes
    first and the former best next, the first alternative for a person to see."""
    best, *rest = ranked
    if head is not None:
        rest = [item for item in rest if item[0] != head[0]]
    elif rest:
        head, *rest = rest
    return [head, best, *rest] if head is not None else [best]


def _apply_doctor_precedence(
    ranked: list[tuple[str, _Scored]],
    reasons: list[str],
    language: str | None,
    weights: np.ndarray,
    *,
    assistant: bool,
) -> tuple[list[tuple[str, _Scored]], set[str]]:
    """When the title names a doctor and, fully, another occupation, it is the more specific
    one: dentistry, veterinary or hygiene doctors keep their code; a doctor of anything else
    ("врач-лаборант", "Facharzt für ...") is a specialist. The two aliases explain the title
    together. Returns the new ranking and the codes it demoted, which no longer compete."""
    contained = [code for code, scored in ranked if scored.alias_cov >= CONTAINED]
    if "2211" not in contained or len(contained) == 1:
        return ranked, set()
    by_code = dict(ranked)
    others = [code for code in contained if code != "2211"]
    chosen = next((code for code in DOCTOR_PRECEDENCE if code in others), "2212")
    if assistant and chosen == "2212" and "2212" not in others:
        # "Assistant médico-technique": an assistant's title naming medicine is no doctor's.
        return ranked, set()
    source = by_code.get(chosen) or by_code[others[0]]
    generic = by_code["2211"]
    adds = any(x > y + 0.2 for x, y in zip(source.coverage, generic.coverage, strict=True))
    if not adds:
        # "Bachelor of Medicine and Bachelor of Surgery" already explains "surgery".
        return ranked, set()
    union = tuple(max(a, b) for a, b in zip(source.coverage, generic.coverage, strict=True))
    score = _score(
        min(source.alias_cov, generic.alias_cov),
        float(weights @ union),
        (source.entry, generic.entry),
        language,
    )
    reasons.append(f"doctor's title naming {source.entry.text!r}")
    demoted = {"2211", *others} - {chosen}
    rest = [item for item in ranked if item[0] != chosen]
    return [(chosen, _Scored(score, source.alias_cov, source.entry, union)), *rest], demoted
