"""A title's text as words: one normalised spelling for every script and case, stopwords
dropped, and one word written in two genders kept as one word. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from anyascii import anyascii

from matching.normalise import strip_accents

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
# A gender ending in brackets inside a word: "infirmier(ère)", "Medizinisch(er)e"; not
# "Nurse(RN)".
_BRACKETED_ENDING = re.compile(r"(?<=[^\W\d_])\([^\W\d_]{1,4}\)", re.UNICODE)
_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u04ff]+")
# The other gender as a new ending after a slash and a hyphen: "Facharzt/-ärztin",
# "Krankenpfleger/-schwester".
_SLASHED_ENDING = re.compile(r"(?<=[^\W\d_])/-[^\W\d_]+", re.UNICODE)


def normalise_title(text: str) -> str:
    """Case, accents and script folded; Cyrillic and Greek transliterated to Latin (the
    original script is kept by the caller); Arabic-script letter variants unified.
    A gender ending written in brackets or after "/-" is dropped: the word stays one word."""
    if "(" in text:
        text = _BRACKETED_ENDING.sub(lambda m: "" if m[0].islower() else m[0], text)
    if "/-" in text:
        text = _SLASHED_ENDING.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
        text = strip_accents(text)
        text = _GREEK_OR_CYRILLIC.sub(lambda m: anyascii(m[0]).lower(), text)
    return " ".join(_WORD.findall(text.lower()))


def title_words(normalised: str) -> list[list[str]]:
    """The title's words without stopwords, forms of one word grouped together:
    "Assistent/Assistentin", "Ingénieur / Ingénieure", "tehničar/tehničarka" write one
    occupation in two genders, which is one word of the title, not two."""
    groups: list[list[str]] = []
    for token in normalised.split():
        if token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        for group in groups:
            # Forms of one word share their first three letters (see same_word): a group
            # whose first form does not is passed over without comparing its forms.
            if group[0][:3] != token[:3]:
                continue
            if token in group:
                break
            if any(same_word(token, form) for form in group):
                group.append(token)
                break
        else:
            groups.append([token])
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


def writes_capital_letters(text: str) -> bool:
    """Whether a text has a single capital letter as a word ("O&P", "X-ray")."""
    return any(len(w) == 1 and w.isupper() for w in _WORD.findall(text))


def same_word(a: str, b: str) -> bool:
    """One word in two forms: the same stem, differing only in a short ending."""
    shorter = min(len(a), len(b))
    if a == b:
        return True
    return shorter >= 4 and abs(len(a) - len(b)) <= 4 and share_prefix(a, b, shorter - 1)


def share_prefix(a: str, b: str, length: int) -> bool:
    """Whether the two words begin with the same ``length`` letters (one comparison of two
    slices, not a loop over letters)."""
    if length <= 0:
        return True
    return len(a) >= length and len(b) >= length and a[:length] == b[:length]


def clause_pattern(phrases: Collection[str]) -> re.Pattern[str]:
    """A clause opened (or, as the Finnish "lukuun ottamatta", closed) by one of the
    ``phrases``: in brackets anywhere, or after a comma or semicolon to the end. In any
    case, with or without the phrase's accents, as titles are typed."""
    if not phrases:
        return re.compile(r"(?!)")  # no phrase: no clause (an empty one would match any)
    alternatives = "|".join(
        "".join(_letter_pattern(ch) for ch in phrase)
        for phrase in sorted(phrases, key=lambda p: (-len(p), p))
    )
    phrase = rf"(?<!\w)(?:{alternatives})(?!\w)"
    return re.compile(
        rf"\s*\([^()]*{phrase}[^()]*\)|\s*[,;]\s*{phrase}.*$", re.IGNORECASE | re.DOTALL
    )


def _letter_pattern(ch: str) -> str:
    if ch.isspace():
        return r"\s+"
    if ch in "'’":
        return "['’]"
    base = strip_accents(ch)
    return f"[{re.escape(ch)}{re.escape(base)}]" if base and base != ch else re.escape(ch)


def without_clauses(text: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    """The text without the clauses ``pattern`` finds, and those clauses; the text as it
    is when nothing else would be left."""
    if "(" not in text and "," not in text and ";" not in text:
        return text, ""  # no clause can start: most titles, at a tenth of a search's cost
    left = pattern.sub("", text)
    if left == text or not left.strip():
        return text, ""
    removed = "; ".join(m[0].strip(" ,;()") for m in pattern.finditer(text))
    return left, removed
