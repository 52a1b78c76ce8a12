"""Titles mapped together, as ``registry map-titles`` maps a file: the same answers as one
title at a time, in the input's order, with bounded memory."""

from __future__ import annotations

import csv
import io
import random

import pytest

from matching import titles
from matching.batch import CHUNK_ROWS, InputError, map_csv
from matching.cues import Spellings
from matching.titles import MatchStatus, TitleMatcher


@pytest.fixture(scope="module")
def matcher() -> TitleMatcher:
    return TitleMatcher()


def _titles(matcher: TitleMatcher, count: int) -> list[tuple[str, str | None, str | None]]:
    """Alias texts with a letter dropped and words around them, in their language or with
    no hint, and titles of every path through the matcher."""
    rng = random.Random(5)
    asked: list[tuple[str, str | None, str | None]] = []
    for alias in rng.sample(matcher.table.aliases, count):
        text = alias.text
        i = rng.randrange(len(text))
        language = rng.choice([alias.language, None])
        asked.append((f"Senior {text[:i]}{text[i + 1 :]}", language, rng.choice(["", "UA"])))
        asked.append((alias.text, alias.language, None))  # exact
    # An alias word like two title words (scored apart from the others), amid the rest.
    asked[count // 2 : count // 2] = [
        ("Kinderkrankenschwester Krankenschwester", "de", None),
        ("Senior специалист по ергономия specialist", "bg", None),
    ]
    asked += [
        ("", None, None),
        ("!!!", None, None),
        ("Infirmiers (à l'exception des sages-femmes)", "fr", None),
        ("INFIRMIERS (à l'exception des sages-femmes)", "fr", None),  # the same key
        ("Diploma in Registered Nurse", "en", "GB"),
        ("Radiesthésiste", "fr", None),
    ]
    return asked


def test_titles_mapped_together_are_mapped_as_one_at_a_time(matcher: TitleMatcher) -> None:
    asked = _titles(matcher, 150)
    together = TitleMatcher(matcher.table).match_many(asked)
    alone = [TitleMatcher.match(matcher, *title) for title in asked]
    assert together == alone
    statuses = {result.status for result in together}
    assert statuses == set(MatchStatus)


def test_a_title_asked_twice_in_a_batch_is_answered_the_same(matcher: TitleMatcher) -> None:
    first, again, other_case = matcher.match_many(
        [("Pielęgniarka", "pl", None), ("Pielęgniarka", "pl", None), ("PIELĘGNIARKA", "pl", None)]
    )
    assert first == again == other_case
    assert first.best is not None
    assert first.best.isco_code == "2221"


def test_the_matcher_remembers_a_bounded_number_of_titles(
    matcher: TitleMatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(titles, "MAX_REMEMBERED", 5)
    bounded = TitleMatcher(matcher.table)
    asked = _titles(matcher, 20)
    first = bounded.match_many(asked)
    assert len(bounded._known) <= 5
    assert bounded.match_many(asked) == first  # mapped again, once forgotten


def test_map_csv_maps_a_file_in_chunks_in_the_input_order(matcher: TitleMatcher) -> None:
    asked = _titles(matcher, 60)
    rows = [(asked[i % len(asked)], i) for i in range(2 * CHUNK_ROWS + 17)]
    source = io.StringIO()
    writer = csv.writer(source)
    writer.writerow(["ref", "title", "language", "country"])
    for (title, language, country), ref in rows:
        writer.writerow([ref, title, language or "", country or ""])
    source.seek(0)
    target = io.StringIO()
    counts = map_csv(matcher, source, target)
    mapped = list(csv.DictReader(io.StringIO(target.getvalue())))
    assert [int(row["ref"]) for row in mapped] == list(range(len(rows)))
    for ((title, language, country), _), row in zip(rows, mapped, strict=True):
        expected = matcher.match(title, language, country)
        assert row["status"] == expected.status.value, title
        assert row["candidates"] == ";".join(
            f"{c.isco_code}:{c.score:.1f}" for c in expected.candidates
        )
    assert sum(counts.values()) == len(rows)


def test_map_csv_writes_the_rows_before_a_bad_line_in_a_later_chunk(
    matcher: TitleMatcher,
) -> None:
    good = CHUNK_ROWS + 10
    source = io.StringIO("title,language\n" + "Nurse,en\n" * good + "Midwife,en,extra\n")
    target = io.StringIO()
    with pytest.raises(InputError, match=f"line {good + 2}: 3 values for 2 columns"):
        map_csv(matcher, source, target)
    assert len(target.getvalue().splitlines()) == 1 + good


def test_cue_spellings_are_the_word_with_an_ending_a_compound_or_a_modifiers_start() -> None:
    cue = Spellings({"ayudante", "assistent"})
    assert cue.spells("ayudante")
    assert cue.spells("ayudantes")
    assert cue.spells("assistentin")
    assert cue.spells("laborassistent")  # a compound ending in the word
    assert not cue.spells("ayudantezzzz")  # an ending of four letters
    assert not cue.spells("assist")
    modifier = Spellings({"dyr"}, modifier=True)
    assert modifier.spells("dyreklinikassistent")
    assert not modifier.spells("hundedyr")
    either = Spellings.joined([cue, modifier])
    assert either.spells("ayudantes")
    assert either.spells("dyrlege")
    assert not either.spells("x")
