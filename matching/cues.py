"""Cue words (``data/cues.csv``): general words, never titles, that say how a title is built.
Which kinds of cue each title word is, and which words are compounds of a cue word."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from matching.aliases import AliasTable
from matching.vocabulary import MIN_COMPOUND_HEAD, SHARED_STEM_SIMILARITY, Vocabulary, strongest
from matching.words import normalise_title

MIN_MODIFIER = 3  # letters before a nurse's or doctor's word in a compound
MAX_ENDING = 3  # letters of an inflected cue word's ending
# The cues of a degree's title: the document, or the level of higher education.
DEGREE_CUES = ("credential", "higher_education")
# Phrases that open a clause saying what a title is not ("except", "kromě"): the clause is
# taken out of the title before it is read, so they are no word's cue.
EXCLUSION = "exclusion"


class CueWords:
    def __init__(
        self, table: AliasTable, vocabulary: Vocabulary, modifier_kinds: Iterable[str] = ()
    ) -> None:
        """``modifier_kinds``: cue kinds whose words also begin compounds
        ("dyreklinikassistent", an animal clinic's assistant)."""
        self._vocabulary = vocabulary
        modifiers = frozenset(modifier_kinds)
        self.words = {
            kind: frozenset(normalise_title(w) for w in words)
            for kind, words in table.cues.items()
            if kind != EXCLUSION
        }
        self._spellings = {
            kind: Spellings(words, kind in modifiers) for kind, words in self.words.items()
        }
        # Most words are no cue: one look at every kind's words and spellings tells.
        self._all_words = frozenset().union(*self.words.values())
        self._any_spelling = Spellings.joined(self._spellings.values())
        # Compounding languages write "home nurse" and "family doctor" as one word
        # ("koduõde", "perearst"): a title word no alias knows, ending in that language's
        # word for a nurse or a doctor, is read as a field and that word.
        # A degree is written the same way in every language ("läkarexamen",
        # "Hebammendiplom"): the profession, then the document.
        documents = {w for w in self.words.get("credential", ()) if len(w) >= MIN_COMPOUND_HEAD}
        heads: dict[str, set[str]] = defaultdict(lambda: set(documents))
        for kind, spelled in table.cue_languages.items():
            if kind in ("nurse", "doctor"):
                for word, language in spelled:
                    key = normalise_title(word)
                    if language and " " not in key:
                        heads[language].add(key)
        self._compound_heads = {
            language: sorted(words, key=lambda w: (-len(w), w)) for language, words in heads.items()
        }
        self._document_heads = sorted(documents, key=lambda w: (-len(w), w))
        # Bounded so that memory stays flat on a file of millions of titles.
        self.kinds = lru_cache(maxsize=100_000)(self._kinds_of)
        self._compound_head = lru_cache(maxsize=100_000)(self._compound_head_of)

    def _kinds_of(self, forms: tuple[str, ...]) -> frozenset[str]:
        """The cue kinds a title word is: a cue word as written, inflected ("ayudantes"), as
        the head of a compound ("laborassistent") or via a similar alias word. Loose matches
        are too weak to count, so the word's close matches decide, once per word."""
        close = [
            w
            for w, sim in strongest(self._vocabulary.similar(form) for form in forms).items()
            if sim > SHARED_STEM_SIMILARITY
        ]
        if self._all_words.isdisjoint(close) and not self._any_spelling.spells(forms[0]):
            return frozenset()
        return frozenset(
            kind
            for kind, words in self.words.items()
            if not words.isdisjoint(close) or self._spellings[kind].spells(forms[0])
        )

    def split_compounds(self, words: list[list[str]], language: str | None) -> list[list[str]]:
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
        if self._vocabulary.closely_known(word):
            return None
        heads = self._compound_heads.get(language or "", self._document_heads)
        return next(
            (h for h in heads if word.endswith(h) and len(word) - len(h) >= MIN_MODIFIER), None
        )


class Spellings:
    """A cue word as written or with an ending of up to MAX_ENDING letters ("ayudantes"), or
    a compound ending in a cue word of MIN_COMPOUND_HEAD letters or more ("laborassistent");
    for a modifier's kind, any word beginning with a cue word ("radiesthésiste",
    "dyreklinikassistent")."""

    def __init__(self, words: Iterable[str], modifier: bool = False) -> None:
        words = frozenset(words)
        self._stems = frozenset() if modifier else words
        self._prefixes = tuple(sorted(words)) if modifier else ()
        self._heads = tuple(sorted(w for w in words if len(w) >= MIN_COMPOUND_HEAD))

    @classmethod
    def joined(cls, parts: Iterable[Spellings]) -> Spellings:
        """The spellings of any of the parts."""
        joined = cls(())
        for part in parts:
            joined._stems |= part._stems
            joined._prefixes += part._prefixes
            joined._heads += part._heads
        return joined

    def spells(self, word: str) -> bool:
        return (
            any(word[: len(word) - cut] in self._stems for cut in range(MAX_ENDING + 1))
            or word.startswith(self._prefixes)
            or word.endswith(self._heads)
        )
