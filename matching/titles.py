"""Maps a qualification or job title, in any language, to an ISCO-08 unit group.

1. Exact: the normalised title equals a normalised alias. ESCO alternative labels alone do
   not decide: ESCO files some under a neighbouring occupation, so they compete in scoring.
2. Scoring (``scoring``): each title word finds the alias words like it (``vocabulary``: a
   symmetric-deletion index and rapidfuzz, inflected stems, compound heads; loosely and at a
   discount when nothing is close), and every alias is scored at once as numpy vectors:
   for all the titles of a batch together (``match_many``, a chunk of a file's rows).
3. Rules (``rules``) read the title's structure from curated cue words (``cues``).
4. The decision keeps a margin to the runner-up: close calls are ``ambiguous`` with ranked
   candidates, because a wrong confident code is worse than "needs review".
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, lru_cache
from itertools import product

from matching.aliases import Alias, AliasTable, load_alias_table
from matching.cues import DEGREE_CUES, EXCLUSION, CueWords
from matching.groups import GroupCandidate, GroupVocabulary
from matching.rules import FIELD_GROUPS, Rules, TitleReading, doctor_words, reads_nothing_better
from matching.scoring import AliasScorer, Entry, Query, Ranking, Scored, word_weights
from matching.vocabulary import Vocabulary
from matching.words import (
    alias_tokens,
    clause_pattern,
    normalise_title,
    title_words,
    without_clauses,
    writes_capital_letters,
)

MATCH_THRESHOLD = 80.0
MARGIN = 8.0
# A weaker best alias still decides when nothing else comes close: a doctor's title naming
# a field no alias has scores about 73, with the runner-up 30 or more points behind.
CLEAR_THRESHOLD = 65.0
CLEAR_MARGIN = 25.0
AMBIGUOUS_THRESHOLD = 55.0
# Where no alias explains the title, the unit groups' vocabularies decide only when every
# word of the title points to one group, clearly more than to any other.
GROUP_THRESHOLD = 40.0
GROUP_MARGIN = 20.0
ALL_WORDS = 0.999  # group coverage of the title's weight (a sum of floats: not exactly 1)
MAX_TITLE_LENGTH = 300
MAX_CANDIDATES = 5
MAX_REMEMBERED = 100_000  # mapped titles kept, so that memory stays flat
# Titles as written whose normalisation is kept: exports repeat a title as written, too, and
# a few recent ones are enough (100,000 saved no measurable time and took 35 MB more).
MAX_AS_WRITTEN = 20_000
OTHER_SYSTEMS = "*"  # a country hint that no alias's education system names
CROSS_LISTED_PRIORITY = -8

Key = tuple[str, str | None, str | None]  # a normalised title, language and country


class MatchStatus(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"


class MatchMethod(StrEnum):
    ALIAS = "alias"  # the title is an alias
    FUZZY = "fuzzy"  # an alias explains the title closely enough
    VOCABULARY = "vocabulary"  # no alias does; the title's words are one unit group's


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


def source_priority(source: str) -> int:
    """ESCO lists some labels under a second occupation as "alternative": a curated alias,
    an ISCO title or an ESCO preferred label is stronger evidence."""
    if source.startswith("ESCO alternative"):
        return 0
    if source.startswith("ESCO"):
        return 1
    return 2


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector. Building the matcher allocates about a
    million small objects and no garbage, and matching makes no reference cycles: the
    collector would only walk the indexes and the growing caches again and again. What was
    made meanwhile lives as long as the process, so it is then frozen out of every later
    collection: the one at interpreter exit walked it for 1.5 s after 100,000 titles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class TitleMatcher:
    def __init__(self, table: AliasTable | None = None) -> None:
        with collector_paused():
            self._build(table)

    def _build(self, table: AliasTable | None) -> None:
        self.table = table or load_alias_table()
        self.version = self.table.version
        # A clause saying what a title is not names other occupations: "Audiologists
        # (except medical audiologists)" is read as "Audiologists". An alias keeps its own:
        # a classification's label that excludes part of a field still names the field
        # ("... (kromě domácí péče)", care workers but for home care).
        self._exclusions = clause_pattern(self.table.cues.get(EXCLUSION, ()))
        keyed = _entries(self.table)
        self._entries = [entry for _, entry in keyed]
        self._exact: dict[str, list[Entry]] = defaultdict(list)
        for key, entry in keyed:
            if not entry.degree_only:
                self._exact[key].append(entry)
        fields = frozenset(t for e in self._entries if e.degree_only for t in e.tokens)
        others = frozenset(t for e in self._entries if not e.degree_only for t in e.tokens)
        # The unit groups each word names; a cross-listed label names its own group only.
        codes: dict[str, set[str]] = defaultdict(set)
        for entry in self._entries:
            for token in entry.tokens:
                codes[token].update((entry.isco_code,) if entry.priority >= 0 else ())
        self.vocabulary = Vocabulary(
            {token: frozenset(found) for token, found in codes.items()}, fields - others
        )
        self._scorer = AliasScorer(self._entries, self.vocabulary)
        self._groups = GroupVocabulary(self._entries, fields)
        self._cue_words = CueWords(self.table, self.vocabulary, FIELD_GROUPS)
        occupations = self.table.occupations
        # Each unit group's ISCO-08 title, as the alias that names the group itself.
        names = {e.isco_code: e for e in self._entries if e.text == occupations[e.isco_code].title}
        self._rules = Rules(
            occupations,
            doctor_words(self._entries, self._cue_words.words.get("doctor", ())),
            names,
            self._cue_words.words,
        )
        self._system_countries = frozenset().union(*(e.countries for e in self._entries))
        self._known: dict[Key, MatchResult] = {}
        self._normalised = lru_cache(maxsize=MAX_AS_WRITTEN)(self._normalised_title)
        self._hints = lru_cache(maxsize=1024)(self._hints_as_read)  # bounded: from input files
        self._empty, self._no_words = (
            MatchResult(MatchStatus.UNMATCHED, alias_table_version=self.version, reasons=(why,))
            for why in ("empty title", "no words")
        )

    def match(
        self, title: str, language: str | None = None, country: str | None = None
    ) -> MatchResult:
        """``language`` favours that language's aliases. ``country``, where the title was
        awarded or used, leaves out aliases whose level holds only in other education
        systems ("медсестра" is a college-trained associate nurse in the CIS, a nurse
        elsewhere)."""
        return self.match_many([(title, language, country)])[0]

    def match_many(self, titles: Sequence[tuple[str, str | None, str | None]]) -> list[MatchResult]:
        """``match`` for each (title, language, country). The titles not mapped before are
        scored together, in a few vector operations for them all rather than for each."""
        asked = [self._key(*title) for title in titles]
        keys = dict.fromkeys(key for key, _ in asked if key is not None)
        answers = {key: self._known[key] for key in keys if key in self._known}
        new = [key for key in keys if key not in answers]
        for key, result in zip(new, self._match_keys(new), strict=True):
            answers[key] = result
            while len(self._known) >= MAX_REMEMBERED:
                del self._known[next(iter(self._known))]  # the oldest
            self._known[key] = result
        results = []
        for asked_key, excluded in asked:
            if asked_key is None:
                results.append(self._empty)
                continue
            result = answers[asked_key]
            if excluded:
                reason = f"read without {excluded!r}, which says what the title is not"
                result = replace(result, reasons=(reason, *result.reasons))
            results.append(result)
        return results

    def _key(self, title: str, language: str | None, country: str | None) -> tuple[Key | None, str]:
        """The title as it is mapped and remembered, and a clause left out of it."""
        if not title or not title.strip():
            return None, ""
        # By the normalised title: exports repeat a title in every casing and spacing.
        normalised, excluded = self._normalised(title)
        return (normalised, *self._hints(language, country)), excluded

    def _hints_as_read(
        self, language: str | None, country: str | None
    ) -> tuple[str | None, str | None]:
        """The language and country hints as the matcher reads them."""
        language = language_key(language)
        if language not in self._scorer.language_ids:
            language = None  # no alias is written in it: the hint cannot favour any
        country = (country or "").strip().upper()[:2] or None
        if country is not None and country not in self._system_countries:
            country = OTHER_SYSTEMS  # one key for every country no alias names
        return language, country

    def _normalised_title(self, title: str) -> tuple[str, str]:
        """The title as it is mapped, and a clause left out of it."""
        title, excluded = without_clauses(title[:MAX_TITLE_LENGTH], self._exclusions)
        return normalise_title(title), excluded

    def _match_keys(self, keys: list[Key]) -> list[MatchResult]:
        """Each title read on its own, all scored together, each decided on its own."""
        results: dict[int, MatchResult] = {}
        read, queries = [], []
        for number, (key, language, country) in enumerate(keys):
            words = title_words(key)
            if not words:
                results[number] = self._no_words
                continue
            exact = [e for e in self._exact.get(key, ()) if e.holds_in(country)]
            entry = self._exact_alias(exact, language) if exact else None
            title = self._read(words, language)
            read.append((number, entry, title, language))
            queries.append(Query(title.readings, title.weights, language, country, title.degree))
        rankings = self._scorer.ranked_codes(queries)
        for (number, entry, title, language), ranked in zip(read, rankings, strict=True):
            results[number] = (
                self._matched_exactly(entry, ranked)
                if entry is not None
                else self._decide_fuzzy(title, ranked, language)
            )
        return [results[number] for number in range(len(keys))]

    def _exact_alias(self, entries: list[Entry], language: str | None) -> Entry | None:
        """The alias that decides a title equal to it, if one does: the title's language's
        first ("медицинска сестра" is a Serbian secondary-school nurse and a Bulgarian
        bachelor one)."""
        same = [e for e in entries if e.language == language]
        if same:
            entries = same
        top = max(e.priority for e in entries)
        if top <= 0:
            # Only a secondary label ("ortopeed" is a Dutch label of an orthopaedic
            # technician): a false friend until scoring says otherwise.
            return None
        entries = [e for e in entries if e.priority == top]
        # Otherwise the same words name several occupations: scoring ranks them.
        return entries[0] if len({e.isco_code for e in entries}) == 1 else None

    def _matched_exactly(self, entry: Entry, ranked: Ranking) -> MatchResult:
        """The alias decides; the runners-up are what scoring makes of the title otherwise.
        A reviewer sees what else the words name: ESCO lists some labels under a neighbouring
        occupation too ("Krankenschwester" under health care assistants), and a word names
        another level in another system ("фармацевт": college-trained in the CIS, a
        pharmacist in Bulgaria)."""
        runners_up = [item for item in ranked if item[0] != entry.isco_code][: MAX_CANDIDATES - 1]
        return MatchResult(
            MatchStatus.MATCHED,
            (Candidate(entry.isco_code, 100.0, entry.text), *map(_candidate, runners_up)),
            MatchMethod.ALIAS,
            self.version,
            ("exact alias",),
        )

    def _read(self, words: list[list[str]], language: str | None) -> TitleReading:
        """The title's words as the scorer and the rules read them."""
        words = self._cue_words.split_compounds(words, language)
        kinds = [self._cue_words.kinds(tuple(forms)) for forms in words]
        degree = [i for i, k in enumerate(kinds) if not k.isdisjoint(DEGREE_CUES)]
        readings = [self._scorer.reading(tuple(forms), bool(degree)) for forms in words]
        weights = word_weights(readings)
        if degree and len(degree) < len(words):
            # "Diplom", "Master of ...": the degree's words say nothing about the
            # occupation, so they neither support nor count against any alias.
            weights[degree] = 0.0
            weights /= sum(weights.tolist())
        tokens = tuple(forms[0] for forms in words)
        return TitleReading(tokens, readings, kinds, weights, bool(degree))

    def _decide_fuzzy(
        self, title: TitleReading, ranked: Ranking, language: str | None
    ) -> MatchResult:
        if not ranked:
            return self._decide_by_groups(title, ())
        ranked, demoted, reasons = self._rules.apply(ranked, title, language)
        best_code, top = ranked[0]
        runner_up = max((s.score for c, s in ranked[1:] if c not in demoted), default=0.0)
        margin = top.score - runner_up
        # A cue that recognised a doctor's or a nurse's title naming a field decided on the
        # structure of the title; its score only measures how well the field was found.
        by_cue = bool(demoted) and best_code in ("2212", "2221") and not title.cues("credential")
        # A code a rule demoted never decides, even where no other is left to rank first.
        if best_code not in demoted and (
            (top.score >= MATCH_THRESHOLD and margin >= MARGIN)
            or (top.score >= CLEAR_THRESHOLD and margin >= CLEAR_MARGIN)
            # One unit group alone shares words with the title: there is nothing for a
            # person to weigh it against, unless the title only says part of its name
            # ("Lawyer" is no "employment lawyer").
            or (
                top.score >= AMBIGUOUS_THRESHOLD
                and len(ranked) == 1
                and len(set(top.entry.tokens)) <= sum(c > 0 for c in top.coverage)
            )
            or (by_cue and top.score >= AMBIGUOUS_THRESHOLD and margin >= CLEAR_MARGIN / 2)
        ):
            reasons.append(f"best alias {top.entry.text!r}, margin {margin:.1f}")
            candidates = tuple(map(_candidate, ranked[:MAX_CANDIDATES]))
            return MatchResult(
                MatchStatus.MATCHED, candidates, MatchMethod.FUZZY, self.version, tuple(reasons)
            )
        # Undecided, the candidates are readings for a person to weigh: those reading other
        # words of the title come before those that only read a better one's words less well.
        weighed = [i for i, weight in enumerate(title.weights.tolist()) if weight > 0]
        distinct = _distinct_readings_first(ranked, weighed)
        candidates = tuple(map(_candidate, distinct[:MAX_CANDIDATES]))
        if top.score >= AMBIGUOUS_THRESHOLD:
            reasons.append("close candidates" if top.score >= MATCH_THRESHOLD else "weak evidence")
            return MatchResult(
                MatchStatus.AMBIGUOUS, candidates, MatchMethod.FUZZY, self.version, tuple(reasons)
            )
        return self._decide_by_groups(title, candidates)

    def _decide_by_groups(
        self, title: TitleReading, candidates: tuple[Candidate, ...]
    ) -> MatchResult:
        """No alias explains the title: its words may still be one unit group's vocabulary,
        which ranks the candidates a person sees and, when clear, decides."""
        weights = title.weights.tolist()
        ranked = GroupVocabulary.rank(
            [self._groups.evidence(r.similar) for r in title.readings], weights
        )
        if not ranked:
            reasons: tuple[str, ...] = ("weak evidence" if candidates else "no alias words",)
            named = self._rules.fields_named(title)
            if not candidates and named:
                # Nothing reads the title, but a word of it names a field ("Radiestezist"):
                # its groups are the candidates, with no alias's evidence to score them.
                candidates = tuple(Candidate(e.isco_code, 0.0, e.text) for e in named)
                reasons += (f"the title names the field of {named[0].text!r}",)
            return MatchResult(MatchStatus.UNMATCHED, candidates, None, self.version, reasons)
        # An assistant's title never takes a professional's code, here as in the rules
        # ("assistent" is also a word of junior doctors' titles, "arts-assistent"): the
        # professional groups come last, and do not decide.
        occupations = self.table.occupations
        assistant = bool(title.cues("assistant"))
        if assistant:
            ranked.sort(key=lambda group: occupations[group.isco_code].professional)
        top = ranked[0]
        margin = top.score - (ranked[1].score if len(ranked) > 1 else 0.0)
        by_group = tuple(_group_candidate(g) for g in ranked[:MAX_CANDIDATES])
        if (
            top.score >= GROUP_THRESHOLD
            and margin >= GROUP_MARGIN
            and top.coverage >= ALL_WORDS
            and not (assistant and occupations[top.isco_code].professional)
        ):
            reasons = (
                "no alias explains the title",
                f"its words are unit group {top.isco_code}'s vocabulary "
                f"({', '.join(top.words)}), margin {margin:.1f}",
            )
            return MatchResult(
                MatchStatus.MATCHED, by_group, MatchMethod.VOCABULARY, self.version, reasons
            )
        return MatchResult(
            MatchStatus.UNMATCHED,
            by_group,
            None,
            self.version,
            ("weak evidence", "candidates ranked by the unit groups' vocabularies"),
        )


def _distinct_readings_first(ranked: Ranking, words: list[int]) -> Ranking:
    """The best first; then each candidate that reads one of ``words`` clearly better than
    every candidate before it ("sanitarni" in "Sanitarni inženjer", after two readings of
    "inženjer"); then the rest, each group in score order. ``words``: the title words that
    count (not a degree's document words); with one, there is nothing else to read."""
    if len(words) < 2:
        return ranked  # one word: every candidate reads the same word
    distinct, repeated = ranked[:1], []
    for item in ranked[1:]:
        if any(reads_nothing_better(item[1], other, words) for _, other in distinct):
            repeated.append(item)
        else:
            distinct.append(item)
    return distinct + repeated


def _candidate(item: tuple[str, Scored]) -> Candidate:
    code, scored = item
    return Candidate(code, round(scored.score, 1), scored.entry.text)


def _group_candidate(group: GroupCandidate) -> Candidate:
    """A unit group as a candidate: its alias is the words that carried the evidence."""
    return Candidate(group.isco_code, round(group.score, 1), " + ".join(group.words))


def _entries(table: AliasTable) -> list[tuple[str, Entry]]:
    """The aliases as the matcher reads them, each under its normalised text: their words,
    and their source's priority."""
    keys = [normalise_title(alias.text) for alias in table.aliases]
    # A bare word for an assistant ("assistent", an ESCO label of home carers in Norwegian)
    # says that someone assists, not whom: a cue, not the name of an occupation. As an
    # alias it would read every "...assistent" compound as that occupation.
    assistants = {normalise_title(word) for word in table.cues.get("assistant", ())}
    # The names each occupation has in a language, as written and in the forms a name takes
    # without an ending of up to two letters ("Dierenartsen" -> "dierenarts").
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    shortened: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, alias in zip(keys, table.aliases, strict=True):
        if source_priority(alias.source) > 0 and not alias.degree_only:
            named[key, alias.language].add(alias.isco_code)
            for form in _shorter_forms(key):
                shortened[form, alias.language].add(alias.isco_code)
    entries = []
    for key, alias in zip(keys, table.aliases, strict=True):
        tokens = alias_tokens(key, letters=writes_capital_letters(alias.text))
        if not tokens or (len(tokens) == 1 and tokens[0] in assistants):
            continue
        priority = source_priority(alias.source)
        if priority == 0:
            # The same name, or one of them the other with an ending ("dierenarts" /
            # "Dierenartsen"): never two shortened names, which may be two words
            # ("Obstetra", an obstetrician, and "Obstetriz", a midwife).
            named_as = shortened.get((key, alias.language), set()).union(
                *(named.get((form, alias.language), ()) for form in _shorter_forms(key))
            )
            if named_as and alias.isco_code not in named_as:
                # ESCO lists the name of a neighbouring occupation as an alternative label
                # ("sage-femme" under health care assistants, "dierenarts" under veterinary
                # technicians): the name is that occupation's, in this form too.
                priority = CROSS_LISTED_PRIORITY
                for code in sorted(named_as - named.get((key, alias.language), set())):
                    entries.append((key, _entry(alias, code, tokens, 0)))
        entries.append((key, _entry(alias, alias.isco_code, tokens, priority)))
    return entries


def _entry(alias: Alias, code: str, tokens: tuple[str, ...], priority: int) -> Entry:
    return Entry(
        alias.text, code, alias.language, tokens, priority, alias.countries, alias.degree_only
    )


MAX_ENDING = 2
MAX_FORM_WORDS = 3  # longer names are compared as written: their forms multiply


def _shorter_forms(key: str) -> list[str]:
    """A name and the names it contains with up to MAX_ENDING final letters taken off each
    word, words keeping four letters or more."""
    words = key.split()
    if len(words) > MAX_FORM_WORDS:
        return [key]
    options = [
        [w[: len(w) - cut] for cut in range(MAX_ENDING + 1) if len(w) - cut >= 4] or [w]
        for w in words
    ]
    return [" ".join(combo) for combo in product(*options)]


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
        # Imported here: most hints have two letters, and the import takes 40 ms, a thirtieth
        # of map-titles' start-up.
        import pycountry

        entry = pycountry.languages.get(alpha_3=code)
        code = getattr(entry, "alpha_2", code) if entry is not None else code
    return _LANGUAGE_OF_THE_ALIASES.get(code, code)


@cache
def default_matcher() -> TitleMatcher:
    """One matcher per process: building the indexes takes a second or two."""
    return TitleMatcher()
