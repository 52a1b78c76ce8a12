"""Text normalisation shared by name search and title mapping. Pure functions."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


class _CombiningMarks(dict[int, int | None]):
    """A ``str.translate`` table that deletes combining marks, each code point looked up
    once (an entry a code point seen): ``translate`` then works in C, where a generator
    over the characters took a few microseconds a title."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_NO_MARKS = _CombiningMarks()


def strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).translate(_NO_MARKS)


def basic(text: str) -> str:
    """NFKC, case-folded, punctuation to spaces, single spaces. Keeps accents and script."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def fold(text: str) -> str:
    """Accent-insensitive, script-insensitive key: "Óscar Núñez" and "oscar nunez" fold
    alike, and so do "Олена Шевченко" and "Olena Shevchenko"."""
    text = strip_accents(unicodedata.normalize("NFKC", text))
    if not text.isascii():
        text = anyascii(text)
    return basic(text)
