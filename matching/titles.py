"""Maps a qualification or job title, in any language, to an ISCO-08 unit group.

1. Exact: the normalised title equals a normalised alias.
2. Containment: an alias supports its code when all of its words occur in the title
   (fuzzily: inflections, typos, and compound heads such as "...verpleegkundige"). A
   title inside a longer alias does not ("nurse" is not "nurse anaesthetist"), and the
   alias explaining more of the title wins ("veterinary surgeon" over "surgeon").
3. A doctor's title that also names a specialty, dentistry or veterinary medicine is
   that more specific occupation (the cue that separates 2212 from 2211).
4. The decision keeps a margin to the runner-up: close calls are ``ambiguous`` with ranked
   candidates, because a wrong confident code is worse than "needs review".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from itertools import chain

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
CONTAINED = 0.85  # share of an alias's words found in the title for it to "support" a code
TOKEN_SIMILARITY = 88.0
MIN_COMPOUND_HEAD = 5
MIN_STEM = 5
MIN_FUZZY_WORD = 6
MAX_TITLE_LENGTH = 300
SAME_LANGUAGE_BONUS = 3.0

# Nurses at every level, and midwives (who in many systems are nurses first).
NURSING_CODES = frozenset({"2221", "3221", "5321", "2222", "3222"})

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
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


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
    original script is kept by the caller); Arabic-script letter variants unified."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    if any("\u0370" <= ch <= "\u04ff" for ch in text):
        text = "".join(anyascii(ch).lower() if "\u0370" <= ch <= "\u04ff" else ch for ch in text)
    return " ".join(_WORD.findall(strip_accents(text)))


def title_tokens(normalised: str) -> tuple[str, ...]:
    return tuple(
        t for t in normalised.split() if t not in STOPWORDS and (len(t) > 1 or t.isdigit())
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    text: str
    isco_code: str
    language: str
    tokens: tuple[str, ...]
    priority: int


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    alias_cov: float
    entry: _Entry
    coverage: tuple[float, ...]  # how well each title word is explained by the alias


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
        self._by_token: dict[str, list[int]] = defaultdict(list)
        self._entries: list[_Entry] = []
        for alias in self.table.aliases:
            key = normalise_title(alias.text)
            tokens = title_tokens(key)
            if not tokens:
                continue
            entry = _Entry(
                alias.text, alias.isco_code, alias.language, tokens, source_priority(alias.source)
            )
            self._exact[key].append(entry)
            index = len(self._entries)
            self._entries.append(entry)
            for token in set(tokens):
                self._by_token[token].append(index)
        self._vocabulary = sorted(self._by_token)
        self._bands: dict[int, list[str]] = {}
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for token in self._vocabulary:
            self._by_length[len(token)].append(token)
        self._by_stem: dict[str, list[str]] = defaultdict(list)
        for token in self._vocabulary:
            if len(token) >= MIN_STEM:
                self._by_stem[token[:MIN_STEM]].append(token)
        self._doctor_words = self._find_doctor_words()
        self._cues = {
            kind: frozenset(normalise_title(w) for w in words)
            for kind, words in self.table.cues.items()
        }
        self._token_matches = lru_cache(maxsize=200_000)(self._similar_tokens)
        self._cached_match = lru_cache(maxsize=200_000)(self._match)

    def _find_doctor_words(self) -> frozenset[str]:
        """Words for "doctor" in every language of the tables, found in the data: a one-word
        generalist alias ("врач", "shifokor", "lekarz"; not abbreviations such as "MD"), or
        a token in a generalist alias that recurs across specialist aliases ("лекар", "arts")."""
        counts: dict[str, set[str]] = defaultdict(set)
        words = set()
        for entry in self._entries:
            if (
                entry.isco_code == "2211"
                and len(entry.tokens) == 1
                and len(entry.tokens[0]) >= 4
                and not entry.text.isupper()
                and "." not in entry.text
            ):
                words.add(entry.tokens[0])
            if entry.isco_code in ("2211", "2212"):
                for token in entry.tokens:
                    counts[token].add(entry.isco_code + ":" + entry.text.casefold())
        for token, owners in counts.items():
            generalist = sum(o.startswith("2211:") for o in owners)
            specialist = len(owners) - generalist
            if generalist >= 1 and specialist >= 3 and len(token) >= 3:
                words.add(token)
        return frozenset(words)

    def match(
        self, title: str, language: str | None = None, country: str | None = None
    ) -> MatchResult:
        """``country`` is accepted for callers that know it; the language hint does the work."""
        del country
        if not title or not title.strip():
            return MatchResult(
                MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=("empty title",)
            )
        language = (language or "").strip().lower()[:3] or None
        return self._cached_match(title[:MAX_TITLE_LENGTH], language)

    def _match(self, title: str, language: str | None) -> MatchResult:
        key = normalise_title(title)
        tokens = title_tokens(key)
        if not tokens:
            return MatchResult(
                MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=("no words",)
            )
        exact = self._exact.get(key)
        if exact:
            result = self._decide_exact(exact, language)
            if result is not None:
                return result
        return self._decide_fuzzy(tokens, language)

    def _decide_exact(self, entries: list[_Entry], language: str | None) -> MatchResult | None:
        top = max(e.priority for e in entries)
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

    def _similar_tokens(self, token: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if token in self._by_token:
            found[token] = 1.0
        # One edit makes a short word another word ("masa" nurse, "moasa" midwife): only
        # longer words are matched by edit distance.
        if len(token) >= MIN_FUZZY_WORD:
            # ratio >= 88 needs the shorter word to be >= 0.78 of the longer: compare only
            # words of such lengths.
            pool = self._length_band(len(token))
            for other, score, _ in process.extract(
                token, pool, scorer=fuzz.ratio, score_cutoff=TOKEN_SIMILARITY, limit=20
            ):
                if len(other) >= 4:
                    found.setdefault(other, score / 100)
        # Inflected forms share a stem: "sestry" / "sestra", "kardiologie" / "kardiolog".
        for other in self._by_stem.get(token[:MIN_STEM], ()):
            if (
                other not in found
                and _common_prefix(token, other) >= max(len(token), len(other)) - 2
            ):
                found[other] = 0.9
        # A compound ending in a known word is that word's kind: "kinderkrankenschwester".
        for start in range(1, len(token) - MIN_COMPOUND_HEAD + 1):
            head = token[start:]
            if head in self._by_token:
                found.setdefault(head, 0.95)
                break
        return found

    def _doctor_of_a_field(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        tokens: tuple[str, ...],
        similar: list[dict[str, float]],
        reasons: list[str],
    ) -> tuple[list[tuple[str, _Scored]], set[str]]:
        """ "Врач ультразвуковой диагностики", "Arts voor maatschappij en gezondheid": a bare
        doctor word followed by a field the generalist alias does not explain names a
        specialist."""
        code, top = ranked[0]
        if code != "2211" or top.alias_cov < CONTAINED:
            return ranked, demoted
        doctor_positions = [
            i for i, m in enumerate(similar) if any(w in self._doctor_words for w in m)
        ]
        if not doctor_positions or not set(top.entry.tokens) <= self._doctor_words:
            return ranked, demoted
        unexplained = [i for i, c in enumerate(top.coverage) if c < 0.5 and len(tokens[i]) > 3]
        if not unexplained or self._cue_positions("credential", tokens, similar):
            # A degree document ("Diplom ... Doktor der Medizin") names no field of practice.
            return ranked, demoted
        specialist = next((s for c, s in ranked if c == "2212"), None)
        entry = specialist.entry if specialist else top.entry
        scored = _Scored(top.score, top.alias_cov, entry, top.coverage)
        reasons.append("doctor's title naming a field of medicine")
        rest = [item for item in ranked if item[0] not in ("2212", "2211")]
        return [("2212", scored), *rest, ("2211", top)], demoted | {"2211"}

    def _nurse_of_a_field(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        tokens: tuple[str, ...],
        similar: list[dict[str, float]],
        reasons: list[str],
    ) -> tuple[list[tuple[str, _Scored]], set[str]]:
        """A nurse's title naming a field of care ("Sestra pre kardiológiu") where the best
        alias is the field's doctor or therapist and leaves the nurse word unexplained: a
        specialised nurse, which is a nursing professional."""
        code, top = ranked[0]
        if code in NURSING_CODES:
            return ranked, demoted
        nurse = self._cue_positions("nurse", tokens, similar)
        if not nurse or any(top.coverage[i] >= 0.5 for i in nurse):
            return ranked, demoted
        if any(c >= 1.0 for i, c in enumerate(top.coverage) if i not in nurse):
            # The other word is the occupation itself ("Nurse anaesthetist"), not a field
            # of care in its inflected form ("Kardiologijas māsa"): a person decides.
            return ranked, demoted
        professional = next((s for c, s in ranked if c == "2221"), None)
        entry = professional.entry if professional else top.entry
        reasons.append("nurse's title naming a field of care")
        rest = [item for item in ranked if item[0] not in ("2221", code)]
        scored = _Scored(top.score, top.alias_cov, entry, top.coverage)
        return [("2221", scored), *rest, (code, top)], demoted | {code}

    def _cue_positions(
        self, kind: str, tokens: tuple[str, ...], similar: list[dict[str, float]]
    ) -> list[int]:
        """Where the title uses a cue word: as written, inflected ("ayudantes"), as the
        head of a compound ("laborassistent") or via a similar alias word."""
        words = self._cues.get(kind, frozenset())
        return [
            i
            for i, token in enumerate(tokens)
            if token in words
            or not words.isdisjoint(similar[i])
            or any(
                (token.startswith(w) and len(token) - len(w) <= 3)
                or (len(w) >= 5 and token.endswith(w))
                for w in words
            )
        ]

    def _level_cues(
        self,
        ranked: list[tuple[str, _Scored]],
        demoted: set[str],
        tokens: tuple[str, ...],
        similar: list[dict[str, float]],
        reasons: list[str],
    ) -> tuple[list[tuple[str, _Scored]], set[str]]:
        """An assistant's title is not the professional's ("Ассистент врача-стоматолога" is
        a dental assistant): a professional best alias that leaves the assistant
        word unexplained gives way to the best associate-level candidate that explains it,
        or to nothing. "Without a specialisation" keeps a doctor's title generalist."""
        occupations = self.table.occupations
        code, top = ranked[0]
        assistant = self._cue_positions("assistant", tokens, similar)
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
            rest = [item for item in ranked if item[0] != code and item is not associate]
            head = [associate] if associate else []
            return [*head, *rest, (code, top)], demoted | {code}
        if (
            code == "2212"
            and self._cue_positions("generalist", tokens, similar)
            and any(not self._doctor_words.isdisjoint(m) for m in similar)
        ):
            generalist = next((item for item in ranked if item[0] == "2211"), None)
            if generalist is not None:
                reasons.append("doctor's title without a specialisation")
                rest = [item for item in ranked if item[0] not in ("2211", "2212")]
                return [generalist, *rest, (code, top)], demoted | {"2212"}
        return ranked, demoted

    def _length_band(self, length: int) -> list[str]:
        band = self._bands.get(length)
        if band is None:
            low, high = max(int(length * 0.78), 4), int(length / 0.78) + 1
            band = [w for n in range(low, high + 1) for w in self._by_length.get(n, ())]
            self._bands[length] = band
        return band

    def _decide_fuzzy(self, tokens: tuple[str, ...], language: str | None) -> MatchResult:
        similar = [self._token_matches(t) for t in tokens]
        strongest: dict[str, float] = {}
        for matches in similar:
            for alias_token, sim in matches.items():
                if sim > strongest.get(alias_token, 0.0):
                    strongest[alias_token] = sim
        # An alias scores at most its share of matched words (plus small bonuses): one with
        # under a third of its words in the title can neither decide nor rank in the top
        # three usefully, so it is skipped unscored. This is most of the speed.
        hits = Counter(chain.from_iterable(self._by_token[t] for t in strongest))
        shortlist: list[tuple[float, _Entry]] = []
        for index, count in hits.items():
            entry = self._entries[index]
            if 3 * count < len(entry.tokens):
                continue
            alias_cov = sum(strongest.get(a, 0.0) for a in entry.tokens) / len(entry.tokens)
            if alias_cov >= 0.34:
                shortlist.append((alias_cov, entry))
        shortlist.sort(key=lambda item: -item[0])
        best: dict[str, _Scored] = {}
        floor = 0.0
        for alias_cov, entry in shortlist:
            # A score never exceeds 100 x alias coverage plus the bonuses: once that bound
            # is below the fifth-best code, nothing further can enter the candidates.
            bound = 100 * alias_cov + 5
            if bound < floor:
                break
            known = best.get(entry.isco_code)
            if known is not None and known.score >= bound:
                continue  # this alias cannot improve its code's score
            coverage = tuple(
                max((m.get(a, 0.0) for a in entry.tokens), default=0.0) for m in similar
            )
            score = _score(alias_cov, coverage, entry, language)
            current = best.get(entry.isco_code)
            if current is None or score > current.score:
                best[entry.isco_code] = _Scored(score, alias_cov, entry, coverage)
                if len(best) >= 5:
                    floor = sorted((b.score for b in best.values()), reverse=True)[4]
        if not best:
            return MatchResult(
                MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=("no alias words",)
            )
        ranked = sorted(best.items(), key=lambda item: (-item[1].score, item[0]))
        reasons: list[str] = []
        ranked, demoted = _apply_doctor_precedence(ranked, reasons, language)
        ranked, demoted = self._doctor_of_a_field(ranked, demoted, tokens, similar, reasons)
        ranked, demoted = self._nurse_of_a_field(ranked, demoted, tokens, similar, reasons)
        ranked, demoted = self._level_cues(ranked, demoted, tokens, similar, reasons)
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
        by_cue = (
            bool(demoted)
            and ranked[0][0] in ("2212", "2221")
            and not self._cue_positions("credential", tokens, similar)
        )
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


@cache
def default_matcher() -> TitleMatcher:
    """One matcher per process: building the indexes takes a third of a second."""
    return TitleMatcher()


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _score(
    alias_cov: float, coverage: tuple[float, ...], entry: _Entry, language: str | None
) -> float:
    title_cov = sum(coverage) / len(coverage)
    score = 100 * alias_cov * (0.55 + 0.45 * title_cov) + entry.priority
    if language and entry.language == language:
        score += SAME_LANGUAGE_BONUS
    return min(score, 99.0)


def _apply_doctor_precedence(
    ranked: list[tuple[str, _Scored]], reasons: list[str], language: str | None
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
    source = by_code.get(chosen) or by_code[others[0]]
    generic = by_code["2211"]
    adds = any(x > y + 0.2 for x, y in zip(source.coverage, generic.coverage, strict=True))
    if not adds:
        # "Bachelor of Medicine and Bachelor of Surgery" already explains "surgery".
        return ranked, set()
    union = tuple(max(a, b) for a, b in zip(source.coverage, generic.coverage, strict=True))
    score = _score(min(source.alias_cov, generic.alias_cov), union, source.entry, language)
    reasons.append(f"doctor's title naming {source.entry.text!r}")
    demoted = {"2211", *others} - {chosen}
    rest = [item for item in ranked if item[0] != chosen]
    return [(chosen, _Scored(score, source.alias_cov, source.entry, union)), *rest], demoted
