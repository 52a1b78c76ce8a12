"""Scores every alias against a title at once, as numpy vectors over the table, and keeps
each occupation's best alias.

An alias scores by the share of its words found in the title and, less, the share of the
title it explains; a title inside a longer alias does not match it ("nurse" is not "nurse
anaesthetist"). What each title word does for every alias is worked out once per word and
cached, so that scoring a title takes a few vector operations per word."""

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


class WordReading(NamedTuple):
    """What one title word (in all its written forms) is to the aliases."""

    similar: Similar  # alias words it may stand for, loose ones where nothing is close
    known: bool  # whether some alias word is like it (before loose matches)
    aliases: np.ndarray  # the aliases sharing a word with it, sorted
    share: np.ndarray  # the share of each one's words it covers
    explained: np.ndarray  # how well each one explains it (its best word's similarity)


class AliasScorer:
    def __init__(self, entries: Sequence[Entry], vocabulary: Vocabulary) -> None:
        self._entries = entries
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
        # Bounded so that memory stays flat on a file of millions of titles.
        self.reading = lru_cache(maxsize=50_000)(self._reading_of)
        self.holding = lru_cache(maxsize=None)(self._holding_in)

    def _reading_of(self, forms: tuple[str, ...], degree: bool) -> WordReading:
        """Worked out once per word and kind of title: only a degree's title reads fields of
        study."""
        vocabulary = self._vocabulary
        matches = vocabulary.readable(strongest(vocabulary.similar(form) for form in forms), degree)
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
        aliases, where = np.unique(indices, return_inverse=True)
        share = np.bincount(
            where, np.repeat(sims, lengths) * np.concatenate([s for _, s in postings])
        )
        explained = np.zeros(len(aliases))
        np.maximum.at(explained, where, np.repeat(sims, lengths))
        return WordReading(matches, known, aliases, share, explained)

    def _summed_words(
        self, readings: Sequence[WordReading], holding: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each alias's coverage (the summed similarity of its words found in the title), the
        shortlist of aliases that hold and reach MIN_ALIAS_COVERAGE, and how well each of
        those explains each title word. Here no alias word is like two title words, so the
        words' shares simply add up, all in one pass. An alias with under a third of its
        words in the title can neither decide nor rank in the top three usefully, so
        nothing more is worked out for it."""
        indices = np.concatenate([r.aliases for r in readings])
        alias_covs = np.bincount(
            indices, np.concatenate([r.share for r in readings]), len(self._entries)
        )
        passing = (alias_covs >= MIN_ALIAS_COVERAGE) & holding
        shortlist = passing.nonzero()[0]
        kept = passing[indices]
        column_of = np.empty(len(alias_covs), dtype=np.intp)
        column_of[shortlist] = np.arange(len(shortlist))
        positions = np.arange(len(readings)).repeat([len(r.aliases) for r in readings])
        coverage = np.zeros((len(readings), len(shortlist)))
        coverage[positions[kept], column_of[indices[kept]]] = np.concatenate(
            [r.explained for r in readings]
        )[kept]
        return alias_covs, shortlist, coverage

    def _shared_words(
        self, similar: Sequence[Similar], holding: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As _summed_words, where an alias word is like two title words: it counts once,
        at its best."""
        alias_covs = np.zeros(len(self._entries))
        for alias_token, sim in strongest(similar).items():
            indices, shares = self._postings[alias_token]
            alias_covs[indices] += sim * shares
        shortlist = np.flatnonzero((alias_covs >= MIN_ALIAS_COVERAGE) & holding)
        coverage = np.zeros((len(similar), len(self._entries)))
        for row, matches in zip(coverage, similar, strict=True):
            if not matches:
                continue
            postings = [self._postings[token] for token in matches]
            np.maximum.at(
                row,
                np.concatenate([indices for indices, _ in postings]),
                np.repeat(list(matches.values()), [len(indices) for indices, _ in postings]),
            )
        return alias_covs, shortlist, coverage[:, shortlist]

    def _holding_in(self, country: str | None, degree: bool) -> np.ndarray:
        """Which aliases hold in the country's education system, and outside a degree's
        title are no field of study: a mask over the table."""
        return np.array(
            [e.holds_in(country) and (degree or not e.degree_only) for e in self._entries],
            dtype=bool,
        )

    def best_per_code(
        self,
        readings: Sequence[WordReading],
        weights: np.ndarray,
        language: str | None,
        holding: np.ndarray,
    ) -> dict[str, Scored]:
        """Scores every alias sharing words with the title and keeps each occupation's best:
        the highest score, then the higher alias coverage, then the earlier alias in the
        table."""
        similar = [r.similar for r in readings]
        if len(set().union(*similar)) == sum(map(len, similar)):
            alias_covs, shortlist, coverage = self._summed_words(readings, holding)
        else:
            alias_covs, shortlist, coverage = self._shared_words(similar, holding)
        if not shortlist.size:
            return {}
        covs = alias_covs[shortlist]
        same = (
            None if language is None else self._languages[shortlist] == self.language_ids[language]
        )
        scores = final_score(
            evidence(covs, weights @ coverage),
            self._bonus[shortlist],
            self._penalty[shortlist],
            same,
        )
        codes = self._codes[shortlist]
        # Stable, and the shortlist is in table order: ties go to the earlier alias.
        order = np.lexsort((-covs, -scores, codes))
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
            found[entry.isco_code] = Scored(score, alias_cov, entry, tuple(explained))
        return found


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
    same = None if language is None else any(e.language == language for e in entries)
    priority = float(entries[0].priority)
    return float(
        final_score(evidence(alias_cov, title_cov), max(priority, 0.0), min(priority, 0.0), same)
    )


def final_score(evidence: Any, bonus: Any, penalty: Any, same_language: Any) -> Any:
    """Evidence plus the source's priority (its positive part, the bonus), capped at 99.
    With a language hint, its aliases come first: every other alias stays below the bonus's
    reach, so a same-language reading outranks an equally good foreign one. A penalty (a
    cross-listed label) is taken after the cap, where a title the label explains fully would
    lose it."""
    score = evidence + bonus
    if same_language is not None:
        score = np.minimum(score, 99.0 - SAME_LANGUAGE_BONUS) + SAME_LANGUAGE_BONUS * same_language
    return np.minimum(score, 99.0) + penalty
