"""The alias tables' words, and which of them a title word may stand for: the same word, a
similar spelling, an inflection, a shared stem or the head of a compound, each with a
similarity in (0, 1]; loosely and at a discount when nothing is close."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz, process

from matching.words import share_prefix

TOKEN_SIMILARITY = 88.0
LOOSE_SIMILARITY = 75.0
LOOSE_WEIGHT = 0.7
MIN_COMPOUND_HEAD = 5
MIN_STEM = 5
MIN_SHARED_STEM = 8
SHARED_STEM_SHARE = 0.7
SHARED_STEM_SIMILARITY = 0.75
MIN_FUZZY_WORD = 6
OTHER_WORD_DISCOUNT = 0.1
# Deletions indexed per alias word and tried per title word: two of each find every
# similar pair of words under 14 letters. Longer words, where a ratio of 88 allows a third
# deletion, are found when two suffice; going deeper would triple the index or the time a
# new title word takes, for pairs that inflected-stem matching mostly covers.
MAX_DELETIONS = 2
_LAST_CHARACTER = chr(0x10FFFF)  # sorts after every letter: stem + it ends stem's range

Similar = dict[str, float]  # alias word -> similarity in (0, 1]


class Vocabulary:
    """Built once per alias table; the lookups of a word are cached, bounded so that memory
    stays flat on a file of millions of titles."""

    def __init__(self, codes: Mapping[str, frozenset[str]], field_words: frozenset[str]) -> None:
        """``codes``: each alias word and the unit groups of the aliases that use it."""
        self._codes = codes
        self.words = sorted(codes)
        # Words only fields of study have: outside a degree's title nothing reads them.
        self._field_words = field_words
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            if word not in field_words:
                self._by_initial[word[0]].append(word)
        # A symmetric-deletion index: every alias word of four letters or more under each
        # string a few deleted letters away. Two words are similar enough to count only
        # within a few deletions of each other (see _deletion_depth), so a title word finds
        # them through its own deletions without comparing against the whole vocabulary.
        # Most of its 580,000 strings are one word's: each maps to the first word it is, and
        # the few that are several words' (4%) also to the others. A list for every string
        # took a quarter of the build's time and 40 MB.
        self._by_deletion: dict[str, str] = {}
        also: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            if len(word) >= 4:
                for variant in _deletions(word, min(_deletion_depth(word), MAX_DELETIONS)):
                    if self._by_deletion.setdefault(variant, word) != word:
                        also[variant].append(word)
        # A plain dict once built: a look-up must never add an entry.
        self._also_by_deletion = dict(also)
        # Every string of an alias word (of four letters or more) is in the index, so what
        # the word finds there is the words it shares a string with: worked out once, from
        # the strings several words share, rather than by making and looking up its
        # deletions the first time a title has it.
        near: dict[str, set[str]] = defaultdict(set)
        for variant, others in self._also_by_deletion.items():
            shared = {self._by_deletion[variant], *others}
            for word in shared:
                near[word] |= shared
        self._near = {word: tuple(sorted(words)) for word, words in near.items()}
        self.similar = lru_cache(maxsize=100_000)(self._similar)
        self.loose = lru_cache(maxsize=50_000)(self._loosely_similar)

    def _similar(self, token: str) -> Similar:
        """Alias words that a title word may stand for, each with a similarity in (0, 1]."""
        found: Similar = {}
        if token in self._codes:
            found[token] = 1.0
        # One edit makes a short word another word ("masa" nurse, "moasa" midwife): only
        # longer words are matched by edit distance.
        if len(token) >= MIN_FUZZY_WORD:
            spelt = process.extract(
                token,
                self._near_words(token),
                scorer=fuzz.ratio,
                score_cutoff=TOKEN_SIMILARITY,
                limit=None,
            )
            # A typo that spells another occupation's word is rarer than the word written
            # as meant, as it stands or with another ending: "radiologs" is a radiologist,
            # not "audiologs"; "orthoptists" are not "orthotist". A spelling that names the
            # same occupations ("dokumentation", "documentation") is the same word.
            meant = frozenset().union(
                *(self._codes[other] for other, _, _ in spelt if _same_but_ending(token, other))
            )
            for other, score, _ in spelt:
                other_word = bool(meant) and meant.isdisjoint(self._codes[other])
                found.setdefault(other, score / 100 - OTHER_WORD_DISCOUNT * other_word)
        # Inflected forms share a stem: "sestry" / "sestra", "kardiologie" / "kardiolog".
        # All but the last two letters of the longer word are shared, so the other word
        # starts with all but the last two of this one: a range of the sorted vocabulary.
        if len(token) >= MIN_STEM:
            for other in self.starting_with(token[: max(MIN_STEM, len(token) - 2)]):
                if other not in found and share_prefix(
                    token, other, max(len(token), len(other)) - 2
                ):
                    found[other] = 0.9
        # A field and its practitioner share a long stem: "fizjoterapii" / "fizjoterapeuta",
        # "physiotherapy" / "physiotherapist".
        if len(token) >= MIN_SHARED_STEM:
            stem = token[: max(MIN_SHARED_STEM, math.ceil(SHARED_STEM_SHARE * len(token)))]
            for other in self.starting_with(stem):
                if other not in found and share_prefix(
                    token, other, math.ceil(SHARED_STEM_SHARE * len(other))
                ):
                    found[other] = SHARED_STEM_SIMILARITY
        # A compound ending in a known word is that word's kind: "kinderkrankenschwester".
        # The head explains the word as far as its letters go: a long modifier
        # ("veterinār-ārsts") may itself be what decides.
        for start in range(1, len(token) - MIN_COMPOUND_HEAD + 1):
            head = token[start:]
            if head in self._codes:
                found.setdefault(head, _part_of(head, token))
                if all(sim <= SHARED_STEM_SIMILARITY for w, sim in found.items() if w != head):
                    # Nothing else reads the word closely: a known modifier says which kind
                    # ("tervisekaitse" + "spetsialist"), with a linking "s" or "o" or not.
                    modifier = token[:start]
                    for form in (modifier, modifier[:-1] if modifier[-1:] in "so" else ""):
                        if len(form) >= MIN_COMPOUND_HEAD and form in self._codes:
                            found.setdefault(form, _part_of(form, token))
                            break
                break
        return found

    def _near_words(self, token: str) -> Sequence[str]:
        """The alias words that share a string of the deletion index with the word, sorted:
        the words that may be similar enough to count."""
        if token in self._codes:
            return self._near.get(token, (token,))
        variants = _deletions(token, min(_deletion_depth(token), MAX_DELETIONS))
        found_under = self._by_deletion.keys() & variants
        near = set(map(self._by_deletion.__getitem__, found_under))
        also = self._also_by_deletion
        near.update(*map(also.__getitem__, also.keys() & found_under))
        return sorted(near)

    def starting_with(self, stem: str) -> list[str]:
        """The alias words starting with ``stem``: a range of the sorted vocabulary."""
        start = bisect_left(self.words, stem)
        end = bisect_left(self.words, stem + _LAST_CHARACTER, start)
        return self.words[start:end]

    def _loosely_similar(self, token: str) -> Similar:
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

    def readable(self, matches: Similar, fields: bool) -> Similar:
        """A title word's similar alias words that the title can use: fields of study only
        where it reads them (in a degree's title)."""
        if fields:
            return matches
        return {w: sim for w, sim in matches.items() if w not in self._field_words}

    def names_a_field(self, word: str) -> bool:
        """Whether a word similar to the title word is a field of study's only."""
        return not self._field_words.isdisjoint(self.similar(word))

    def closely_known(self, word: str) -> bool:
        """Whether some alias word is closer to the word than a shared stem."""
        return max(self.similar(word).values(), default=0.0) > SHARED_STEM_SIMILARITY


def strongest(matches: Iterable[Similar]) -> Similar:
    """Each alias word once, with its highest similarity."""
    merged: Similar = {}
    for found in matches:
        for word, sim in found.items():
            if sim > merged.get(word, 0.0):
                merged[word] = sim
    return merged


def weak(matches: Similar) -> bool:
    """Nothing resembles the word better than a loose match would (at most a compound
    head that explains little of it)."""
    return max(matches.values(), default=0.0) < LOOSE_WEIGHT


def _part_of(part: str, word: str) -> float:
    """How well a known word explains the compound it is part of: as far as its letters go."""
    return 0.5 + 0.45 * len(part) / len(word)


def _same_but_ending(word: str, other: str) -> bool:
    """One of the two is the other with an ending of up to two letters."""
    shorter, longer = sorted((word, other), key=len)
    return len(longer) - len(shorter) <= 2 and longer.startswith(shorter)


def _deletion_depth(word: str) -> int:
    """How many of its letters a word can lose to reach a common subsequence with a word
    it is similar to. fuzz.ratio = 100 x (1 - d / (m + n)) for indel distance d, so a ratio
    of at least TOKEN_SIMILARITY allows d <= 0.12 (m + n); the word loses the most when the
    other word is a subsequence of it (n = m - k, d = k), which gives k <= 3m / 14."""
    share = 1 - TOKEN_SIMILARITY / 100
    return int(2 * share * len(word) / (1 + share) + 1e-9)


def _deletions(word: str, depth: int) -> set[str]:
    """The word and every string up to ``depth`` deleted letters away from it: the
    subsequences of its letters that long, made in C (a fifth fewer instructions than
    slicing and joining the word in Python)."""
    found = {word}
    for deleted in range(1, depth + 1):
        found.update(map("".join, combinations(word, len(word) - deleted)))
    return found
