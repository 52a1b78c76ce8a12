"""The alias tables: every row an alias, its ISCO-08 code, its language and its source.

Data files live in ``matching/data`` (see ``SOURCES.md`` there). The table's version is a
digest of their contents, stored with every automatic mapping so a mapping can be traced
to the exact aliases that produced it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

ALIAS_FILES = ("isco_titles.csv", "esco_labels.csv", "curated_aliases.csv")
CUE_FILE = "cues.csv"
# Fields of study ("pharmacie", "Zahnmedizin"): in a degree's title they name the
# profession it qualifies for; elsewhere ("pharmacy aide") the word is only a setting.
FIELD_FILE = "fields.csv"
DATA_FILES = (*ALIAS_FILES, FIELD_FILE, CUE_FILE)
# The word for a nurse or a doctor, on its own, names the professional: ISCO-08 2221
# "nursing professionals" includes "nurse" (associate levels have words of their own,
# "медсестра", "auxiliar de enfermería"), and 2211 includes "doctor (general)".
CUE_OCCUPATIONS = {"nurse": "2221", "doctor": "2211"}


@dataclass(frozen=True, slots=True)
class Alias:
    text: str
    isco_code: str
    language: str
    source: str
    # Where the alias holds, when its level depends on the education system (ISO 3166-1
    # alpha-2 codes); empty where it holds everywhere.
    countries: frozenset[str] = frozenset()
    degree_only: bool = False  # a field of study: read only in a degree's title


@dataclass(frozen=True, slots=True)
class Occupation:
    isco_code: str
    title: str
    level: str  # professional | associate | care_worker
    # The unit group of those who assist this profession under its supervision, where
    # ISCO-08 defines one (dentists: 3251 dental assistants).
    assistants: str | None = None

    @property
    def professional(self) -> bool:
        return self.level == "professional"

    @property
    def residual(self) -> bool:
        """A unit group "not elsewhere classified": by definition it holds an occupation only
        where no other group does."""
        return "not elsewhere classified" in self.title.lower()


@dataclass(frozen=True, slots=True)
class AliasTable:
    version: str
    aliases: tuple[Alias, ...]
    occupations: dict[str, Occupation]
    cues: dict[str, tuple[str, ...]]  # cue kind -> words, as written (see cues.csv)
    cue_languages: dict[str, tuple[tuple[str, str], ...]]  # cue kind -> (word, language)


def _read(name: str) -> str:
    return (resources.files("matching") / "data" / name).read_text(encoding="utf-8")


@cache
def load_alias_table() -> AliasTable:
    texts = {name: _read(name) for name in DATA_FILES}
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update(texts[name].encode())
    aliases: list[Alias] = []
    occupations: dict[str, Occupation] = {}
    for row in csv.DictReader(io.StringIO(texts["isco_titles.csv"], newline="")):
        code = row["isco_code"]
        occupations[code] = Occupation(
            code, row["title_en"], row["level"], row["assistants"] or None
        )
        for language in ("en", "fr", "es"):
            aliases.append(
                Alias(row[f"title_{language}"], code, language, "ISCO-08 unit group title")
            )
    for name in ALIAS_FILES[1:]:
        for row in csv.DictReader(io.StringIO(texts[name], newline="")):
            aliases.append(
                Alias(
                    row["alias"],
                    row["isco_code"],
                    row["language"],
                    row["source"],
                    frozenset((row.get("countries") or "").split()),
                )
            )
    for row in csv.DictReader(io.StringIO(texts[FIELD_FILE], newline="")):
        aliases.append(
            Alias(row["field"], row["isco_code"], row["language"], row["source"], degree_only=True)
        )
    cues: dict[str, list[tuple[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(texts[CUE_FILE], newline="")):
        cues.setdefault(row["cue"], []).append((row["word"], row["language"]))
        if row["cue"] in CUE_OCCUPATIONS:
            aliases.append(
                Alias(row["word"], CUE_OCCUPATIONS[row["cue"]], row["language"], row["source"])
            )
    return AliasTable(
        f"aliases-{digest.hexdigest()[:12]}",
        tuple(aliases),
        occupations,
        {kind: tuple(word for word, _ in words) for kind, words in cues.items()},
        {kind: tuple(words) for kind, words in cues.items()},
    )
