"""The unit groups' vocabularies: which occupations' aliases use each alias word, and how
exclusively.

When no alias explains a title, its words may still be the vocabulary of one unit group:
"Hygieneinspektor" is no alias, but "inspektor" runs through the aliases of environmental and
occupational health inspectors (3257) and hardly any other's; "Hjertekirurg" reads "kirurg", a
word of specialist doctors' aliases. That ranks candidates for a person to confirm and, when
every word points the same way and no other group comes close, decides."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from matching.scoring import Entry
from matching.vocabulary import Similar

# A word seen in one alias is weaker evidence than one seen in many: its share of a group
# is count / (count in all groups + SMOOTHING).
SMOOTHING = 4.0


class GroupEvidence(NamedTuple):
    """What one title word says for a unit group: how much, and through which alias word."""

    strength: float
    word: str


class GroupCandidate(NamedTuple):
    isco_code: str
    score: float  # 0-100: the title's words' weighted evidence for the group
    words: tuple[str, ...]  # the alias words that carried it, strongest first
    coverage: float  # the share of the title's weight whose words point to the group


class GroupVocabulary:
    def __init__(self, entries: Sequence[Entry], fields: frozenset[str]) -> None:
        """``fields``: the words of fields of study. A field ("pharmacie", "Zahnmedizin")
        is where people work, not who they are: pharmacists and their assistants both work
        in a pharmacy. Its words are no group's vocabulary, even where an alias uses them
        ("préparateur en pharmacie")."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in entries:
            # A cross-listed label is another occupation's name.
            if entry.degree_only or entry.priority < 0:
                continue
            for token in set(entry.tokens) - fields:
                counts[token][entry.isco_code] += 1
        self._shares = {
            token: {code: n / (by_code.total() + SMOOTHING) for code, n in by_code.items()}
            for token, by_code in counts.items()
        }

    def evidence(self, similar: Similar) -> dict[str, GroupEvidence]:
        """A title word's evidence for each unit group: its best similar alias word's
        similarity times that word's share of the group."""
        found: dict[str, GroupEvidence] = {}
        for word, sim in similar.items():
            for code, share in self._shares.get(word, {}).items():
                strength = sim * share
                if strength > found.get(code, GroupEvidence(0.0, "")).strength:
                    found[code] = GroupEvidence(strength, word)
        return found

    @staticmethod
    def rank(
        evidence: Sequence[dict[str, GroupEvidence]], weights: Sequence[float]
    ) -> list[GroupCandidate]:
        """The groups by the title's weighted evidence, best first (ties by code)."""
        scores: dict[str, float] = defaultdict(float)
        covered: dict[str, float] = defaultdict(float)
        words: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for found, weight in zip(evidence, weights, strict=True):
            for code, (strength, word) in found.items():
                scores[code] += 100 * weight * strength
                covered[code] += weight
                words[code].append((weight * strength, word))
        return [
            GroupCandidate(
                code,
                score,
                tuple(w for _, w in sorted(words[code], reverse=True)),
                covered[code] / sum(weights),
            )
            for code, score in sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        ]
