"""Scores every alias against a batch of titles at once, as numpy vectors, and ranks each
title's occupations by their best alias.

An alias scores by the share of its words found in the title and, less, the share of the
title it explains; a title inside a longer alias does not match it ("nurse" is not "nurse
anaesthetist"). What each title word does for every alias is worked out once per word and
cached, so that scoring a batch takes a few vector operations over its titles' words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from matching.vocabulary import Similar, Vocabulary, strongest, weak

MIN_ALIAS_COVERAGE = 0.34
SAME_LANGUAGE_BONUS = 10.0
UNKNOWN_WORD_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Entry:
    """An alias as the matcher reads it."""

    text: str
    isco_code: str
    language: str
    tokens: tuple[str, ...]
    priority: int
    countries: frozenset[str]  # where it holds; empty: everywhere
    degree_only: bool

    def holds_in(self, country: str | None) -> bool:
        return not self.countries or country is None or country in self.countries


# Not frozen: a dozen are made for every title, and a frozen dataclass takes three times as
# long to build. Nothing changes one once made.
@dataclass(slots=True)
class Scored:
    score: float
    alias_cov: float
    entry: Entry
    coverage: tuple[float, ...]  # how well each title word is explained by the alias


Ranking = list[tuple[str, Scored]]  # occupations and their best alias's reading, best first


class WordReading(NamedTuple):
    """What one title word (in all its written forms) is to the aliases."""

    similar: Similar  # alias words it may stand for, loose ones where nothing is close
    known: bool  # whether some alias word is like it (before loose matches)
    aliases: np.ndarray  # the aliases sharing a word with it, sorted
    share: np.ndarray  # the share of each one's words it covers
    explained: np.ndarray  # how well each one explains it (its best word's similarity)


class AliasScorer:
    def __init__(self, entries: Sequence[Entry], vocabulary: Vocabulary) -> None:
        # Each occupation's aliases together, in table order: a title's aliases, taken in
        # this order, come grouped by occupation, each group's best found without sorting.
        self._entries = entries = sorted(entries, key=lambda entry: entry.isco_code)
        self._vocabulary = vocabulary
        # word -> (entry indices, the word's share of that entry's words), as arrays, so that
        # summing a title's words over all aliases is a few vector adds.
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, entry in enumerate(entries):
            for token in set(entry.tokens):
                postings[token].append((index, entry.tokens.count(token) / len(entry.tokens)))
        self._postings = {
            token: (
                np.array([index for index, _ in found], dtype=np.intp),
                np.array([share for _, share in found]),
            )
            for token, found in postings.items()
        }
        priorities = np.array([e.priority for e in entries], dtype=float)
        self._bonus, self._penalty = np.maximum(priorities, 0.0), np.minimum(priorities, 0.0)
        code_ids = {code: i for i, code in enumerate(sorted({e.isco_code for e in entries}))}
        self._codes = np.array([code_ids[e.isco_code] for e in entries])
        self.language_ids = {
            language: i for i, language in enumerate(sorted({e.language for e in entries}))
        }
        self._languages = np.array([self.language_ids[e.language] for e in entries])
        # Bounded so that memory stays flat on a file of millions of titles. By the kind of
        # title as asked, then by whether it reads fields: most words' two are one reading.
        self.reading = lru_cache(maxsize=50_000)(self._reading_in)
        self._reading = lru_cache(maxsize=50_000)(self._reading_of)
        self.holding = lru_cache(maxsize=None)(self._holding_in)

    def _reading_in(self, forms: tuple[str, ...], degree: bool) -> WordReading:
        """What a title word is to the aliases: only a degree's title reads fields of study,
        so a word like no field's is read the same in every title, and worked out once."""
        vocabulary = self._vocabulary
        fields = degree and any(vocabulary.names_a_field(form) for form in forms)
        return self._reading(forms, fields)

    def _reading_of(self, forms: tuple[str, ...], fields: bool) -> WordReading:
        vocabulary = self._vocabulary
        matches = vocabulary.readable(strongest(vocabulary.similar(form) for form in forms), fields)
        known = bool(matches)
        if weak(matches):
            matches = strongest((matches, vocabulary.loose(forms[0])))
        if not matches:
            empty = np.zeros(0)
            return WordReading(matches, known, empty.astype(np.intp), empty, empty)
        if len(matches) == 1:
            # Most words: one alias word's postings, already sorted and without repeats.
            ((word, sim),) = matches.items()
            indices, shares = self._postings[word]
            return WordReading(matches, known, indices, sim * shares, np.full(len(indices), sim))
        postings = [self._postings[word] for word in matches]
        sims = np.fromiter(matches.values(), float, len(matches))
        lengths = [len(indices) for indices, _ in postings]
        indices = np.concatenate([indices for indices, _ in postings])
        aliases, where = _grouped(indices)
        share = np.bincount(
            where, np.repeat(sims, lengths) * np.concatenate([s for _, s in postings])
        )
        explained = np.zeros(len(aliases))
        np.maximum.at(explained, where, np.repeat(sims, lengths))
        return WordReading(matches, known, aliases, share, explained)

    def ranked_codes(self, queries: Sequence[Query]) -> list[Ranking]:
        """Each title's occupations, each by its best alias (the highest score, then the
        higher alias coverage, then the earlier alias in the table), best first. Titles are
        scored together, in a few vector operations for them all rather than for each."""
        summed: list[int] = []
        shared: list[int] = []
        for number, query in enumerate(queries):
            similar = [r.similar for r in query.readings]
            disjoint = len(set().union(*similar)) == sum(map(len, similar))
            (summed if disjoint else shared).append(number)
        parts = [self._summed_words(queries, summed)]
        parts += [self._shared_words(queries[number], number) for number in shared]
        return self._ranked(queries, Shortlist.joined(parts))

    def _summed_words(self, queries: Sequence[Query], numbers: list[int]) -> Shortlist:
        """The aliases of the numbered titles that hold and have MIN_ALIAS_COVERAGE or more
        of their words in the title (an alias with under a third can neither decide nor
        rank in the top three usefully, so nothing more is worked out for it). Here no
        alias word is like two title words, so the words' shares simply add up: each
        (title, alias) pair's, in the order of the title's words."""
        readings = [(n, w, r) for n in numbers for w, r in enumerate(queries[n].readings)]
        lengths = [len(r.aliases) for _, _, r in readings]
        if not sum(lengths):
            return Shortlist.empty()
        aliases = np.concatenate([r.aliases for _, _, r in readings])
        numbers_of = np.repeat([n for n, _, _ in readings], lengths)
        pairs, pair_of = _grouped(numbers_of * len(self._entries) + aliases)
        pair_number, pair_alias = np.divmod(pairs, len(self._entries))
        alias_cov = np.bincount(pair_of, np.concatenate([r.share for _, _, r in readings]))
        # The titles share a few masks: one row each, and each title's row.
        systems = dict.fromkeys((q.country, q.degree) for q in queries)
        row_of = {system: row for row, system in enumerate(systems)}
        masks = np.stack([self.holding(*system) for system in systems])
        mask_of = np.array([row_of[q.country, q.degree] for q in queries], dtype=np.intp)
        passing = (alias_cov >= MIN_ALIAS_COVERAGE) & masks[mask_of[pair_number], pair_alias]
        kept = passing[pair_of]
        return Shortlist(
            pair_number[passing],
            pair_alias[passing],
            alias_cov[passing],
            _renumbered(passing)[pair_of[kept]],
            np.repeat([w for _, w, _ in readings], lengths)[kept],
            np.concatenate([r.explained for _, _, r in readings])[kept],
            np.repeat(np.concatenate([queries[n].weights for n in numbers]), lengths)[kept],
        )

    def _shared_words(self, query: Query, number: int) -> Shortlist:
        """As _summed_words, for one title where an alias word is like two of its words: it
        counts once, at its best."""
        similar = [r.similar for r in query.readings]
        alias_covs = np.zeros(len(self._entries))
        for alias_token, sim in strongest(similar).items():
            indices, shares = self._postings[alias_token]
            alias_covs[indices] += sim * shares
        passing = (alias_covs >= MIN_ALIAS_COVERAGE) & self.holding(query.country, query.degree)
        shortlist, column_of = np.flatnonzero(passing), _renumbered(passing)
        coverage = np.zeros((len(similar), len(shortlist)))
        for row, matches in zip(coverage, similar, strict=True):
            if not matches:
                continue
            postings = [self._postings[token][0] for token in matches]
            aliases = np.concatenate(postings)
            sims = np.repeat(list(matches.values()), [len(found) for found in postings])
            on = passing[aliases]
            np.maximum.at(row, column_of[aliases[on]], sims[on])
        words, pairs = np.nonzero(coverage)
        return Shortlist(
            np.full(len(shortlist), number),
            shortlist,
            alias_covs[shortlist],
            pairs,
            words,
            coverage[words, pairs],
            query.weights[words],
        )

    def _holding_in(self, country: str | None, degree: bool) -> np.ndarray:
        """Which aliases hold in the country's education system, and outside a degree's
        title are no field of study: a mask over the table."""
        return np.array(
            [e.holds_in(country) and (degree or not e.degree_only) for e in self._entries],
            dtype=bool,
        )

    def _ranked(self, queries: Sequence[Query], found: Shortlist) -> list[Ranking]:
        """The shortlist scored, each title's best alias of every occupation, best first."""
        title_cov = np.bincount(found.word_pair, found.weight * found.explained, len(found.alias))
        hints = np.array(
            [-1 if q.language is None else self.language_ids[q.language] for q in queries],
            dtype=np.intp,
        )[found.number]
        scores = final_score(
            evidence(found.alias_cov, title_cov),
            self._bonus[found.alias],
            self._penalty[found.alias],
            hints >= 0,
            self._languages[found.alias] == hints,
        )
        if not len(scores):
            return [[] for _ in queries]
        # Each title's pairs are in table order, so each occupation's are consecutive: the
        # best is the first of those with the highest score, then the highest alias coverage.
        codes = self._codes[found.alias]
        starts = np.ones(len(codes), dtype=bool)
        starts[1:] = (codes[1:] != codes[:-1]) | (found.number[1:] != found.number[:-1])
        group, first = np.cumsum(starts) - 1, np.flatnonzero(starts)
        tops = np.maximum.reduceat(scores, first)[group] == scores
        alias_cov = np.where(tops, found.alias_cov, -np.inf)
        tops &= np.maximum.reduceat(alias_cov, first)[group] == alias_cov
        chosen = np.flatnonzero(tops)
        best = chosen[np.diff(group[chosen], prepend=-1) != 0]
        # Each title's occupations best first, a tie to the lower code (code ids follow
        # the codes' order), so that the order never depends on the table's.
        best = best[np.lexsort((codes[best], -scores[best], found.number[best]))]
        # How well each best alias explains each word of its title, one run of its title's
        # width per alias, end to end (a padded matrix would make three times the floats).
        numbers = found.number[best]
        widths = np.array([len(q.readings) for q in queries], dtype=np.intp)[numbers]
        ends = np.cumsum(widths)
        start_of = np.full(len(found.alias), -1, dtype=np.intp)
        start_of[best] = ends - widths
        starts_at = start_of[found.word_pair]
        on = starts_at >= 0
        coverage = np.zeros(ends[-1])
        coverage[starts_at[on] + found.word[on]] = found.explained[on]
        explained = tuple(coverage.tolist())  # a tuple's slices are the coverage tuples
        ranked = [
            (entry.isco_code, Scored(score, alias_cov, entry, explained[end - width : end]))
            for entry, score, alias_cov, end, width in zip(
                map(self._entries.__getitem__, found.alias[best].tolist()),
                scores[best].tolist(),
                found.alias_cov[best].tolist(),
                ends.tolist(),
                widths.tolist(),
                strict=True,
            )
        ]
        title_ends = np.cumsum(np.bincount(numbers, minlength=len(queries))).tolist()
        return [
            ranked[start:end] for start, end in zip([0, *title_ends[:-1]], title_ends, strict=True)
        ]


class Query(NamedTuple):
    """A title to score."""

    readings: Sequence[WordReading]
    weights: np.ndarray  # how much each word counts in title coverage
    language: str | None  # the hint, a language some alias is written in
    country: str | None  # where the title was awarded: which aliases hold (``holding``)
    degree: bool  # a degree's title, which reads fields of study


class Shortlist(NamedTuple):
    """The (title, alias) pairs worth scoring, and the words each alias explains: one
    element for each word of a pair's title that the alias has anything like."""

    number: np.ndarray  # the title's number in the batch, per pair
    alias: np.ndarray  # the alias's index in the table, per pair
    alias_cov: np.ndarray  # the summed similarity of the alias's words found, per pair
    word_pair: np.ndarray  # the element's pair
    word: np.ndarray  # the element's word, its position in the title
    explained: np.ndarray  # how well the alias explains the word
    weight: np.ndarray  # how much the word counts in its title's coverage

    @classmethod
    def empty(cls) -> Shortlist:
        return cls(*(np.zeros(0, dtype=np.intp) for _ in range(7)))

    @classmethod
    def joined(cls, parts: Sequence[Shortlist]) -> Shortlist:
        """One shortlist of the parts, in their order (each part's pairs renumbered)."""
        offsets = np.cumsum([0] + [len(part.alias) for part in parts[:-1]])

        def column(field: str) -> np.ndarray:
            return np.concatenate([getattr(part, field) for part in parts])

        return cls(
            column("number"),
            column("alias"),
            column("alias_cov"),
            np.concatenate([part.word_pair + o for part, o in zip(parts, offsets, strict=True)]),
            column("word"),
            column("explained"),
            column("weight"),
        )


def _grouped(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, sorted, and where each key is among them: ``np.unique`` with
    ``return_inverse``, at less cost for keys that are sorted runs (each word's aliases),
    which a stable sort (timsort) merges rather than sorts."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(len(keys), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    where = np.empty(len(keys), dtype=np.intp)
    where[order] = np.cumsum(starts) - 1
    return ordered[starts], where


def _renumbered(kept: np.ndarray) -> np.ndarray:
    """Each kept position's number among the kept ones (a scatter: cumsum is slower)."""
    numbers = np.empty(len(kept), dtype=np.intp)
    numbers[kept] = np.arange(np.count_nonzero(kept))
    return numbers


def word_weights(readings: Sequence[WordReading]) -> np.ndarray:
    """How much each title word counts in title coverage. A word no alias has anything like
    ("oborech", a place name) says less for or against any occupation than one that some
    alias explains and this one does not."""
    weights = [1.0 if r.known else UNKNOWN_WORD_WEIGHT for r in readings]
    total = sum(weights)
    return np.array([w / total for w in weights])


def evidence(alias_cov: Any, title_cov: Any) -> Any:
    """How much of the alias is in the title, and, less, how much of the title it explains."""
    return 100 * alias_cov * (0.55 + 0.45 * title_cov)


def reading_score(
    alias_cov: float, title_cov: float, entries: tuple[Entry, ...], language: str | None
) -> float:
    """The score of a reading that takes its words from ``entries`` together: in the hinted
    language if any of them is."""
    same = language is not None and any(e.language == language for e in entries)
    priority = float(entries[0].priority)
    return float(
        final_score(
            evidence(alias_cov, title_cov),
            max(priority, 0.0),
            min(priority, 0.0),
            language is not None,
            same,
        )
    )


def final_score(evidence: Any, bonus: Any, penalty: Any, hinted: Any, same_language: Any) -> Any:
    """Evidence plus the source's priority (its positive part, the bonus), capped at 99.
    With a language hint (``hinted``), its aliases come first: every other alias stays
    below the bonus's reach, so a same-language reading outranks an equally good foreign
    one. A penalty (a cross-listed label) is taken after the cap, where a title the label
    explains fully would lose it."""
    score = evidence + bonus
    lifted = np.minimum(score, 99.0 - SAME_LANGUAGE_BONUS) + SAME_LANGUAGE_BONUS * same_language
    return np.minimum(np.where(hinted, lifted, score), 99.0) + penalty
