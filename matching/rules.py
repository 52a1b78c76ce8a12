"""Rules that read a title's structure from its cue words and re-rank the scored
occupations: a doctor's title naming a field is a specialist's, an assistant's title is
not the professional's, the word for a nurse names the nursing professional, "with higher
education" lifts an associate to the professional, "specialist" qualifies the occupation
written with it. Each rule returns the new ranking and the codes it demoted, which no
longer compete for the margin, and says why in ``reasons``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import le, lt

import numpy as np

from matching.aliases import Occupation
from matching.scoring import Entry, Ranking, Scored, WordReading, reading_score
from matching.vocabulary import SHARED_STEM_SIMILARITY, Similar

CONTAINED = 0.85  # share of an alias's words found in the title for it to "support" a code
# A word explained this much less is explained by a different reading: exact against a
# compound head ("zobozdravnik" against "zdravnik"), not exact against an inflection.
DISTINCT_READING = 0.15
# A candidate reads a word no better than another if its explanation of it is at most this
# much higher.
REPEATED_READING = 0.05

# Nurses at every level, and midwives (who in many systems are nurses first).
NURSING_CODES = frozenset({"2221", "3221", "5321", "2222", "3222"})

# Associate-level occupations whose professional level differs only by education.
PROFESSIONAL_LEVEL = {"3221": "2221", "3222": "2222", "3213": "2262"}

# Doctors of animals, of teeth and of hygiene: a doctor's title naming one of these fields
# is that occupation's, not a specialist's.
OWN_CODE_DOCTORS = ("2250", "2261", "2263")
# Most specific first: a title naming a doctor and one of these is that occupation.
DOCTOR_PRECEDENCE = (*OWN_CODE_DOCTORS, "2212", "2211")

# Fields a title may name in a word of its own or the start of a compound (cue kinds of
# cues.csv), and the unit groups of each level that work in them: veterinary medicine
# (animals as the patients) and traditional and complementary medicine.
FIELD_GROUPS = {
    "animal": (("professional", "2250"), ("associate", "3240")),
    "complementary": (("professional", "2230"), ("associate", "3230")),
}


@dataclass(slots=True)
class TitleReading:
    """A title's words as the rules read them: each cue kind's positions are worked out
    once, in one pass."""

    tokens: tuple[str, ...]
    readings: list[WordReading]
    kinds: list[frozenset[str]]  # the cue kinds of each word
    weights: np.ndarray  # how much each word counts in title coverage
    degree: bool  # a degree's title, which reads fields of study
    similar: list[Similar] = field(init=False)
    found: dict[str, list[int]] = field(init=False)  # each cue kind's positions

    def __post_init__(self) -> None:
        self.similar = [r.similar for r in self.readings]
        self.found = {}
        for i, kinds in enumerate(self.kinds):
            for kind in kinds:
                self.found.setdefault(kind, []).append(i)

    def cues(self, kind: str) -> list[int]:
        return self.found.get(kind, [])

    def names_a_doctor(self, doctor_words: frozenset[str], skip: Iterable[int] = ()) -> bool:
        skipped = set(skip)
        return any(i not in skipped for i in self.doctor_positions(doctor_words))

    def doctor_positions(self, doctor_words: frozenset[str]) -> list[int]:
        """The title words like a word for a doctor."""
        return [i for i, m in enumerate(self.similar) if not doctor_words.isdisjoint(m)]


def doctor_words(entries: Iterable[Entry], curated: Iterable[str]) -> frozenset[str]:
    """Words for "doctor" in every language of the tables: the curated ones (cues.csv),
    and one-word generalist aliases found in the data ("врач", "shifokor", "lekarz";
    not abbreviations such as "MD")."""
    words = set(curated)
    for entry in entries:
        if (
            entry.isco_code == "2211"
            and len(entry.tokens) == 1
            and len(entry.tokens[0]) >= 4
            and not entry.text.isupper()
            and "." not in entry.text
        ):
            words.add(entry.tokens[0])
    return frozenset(words)


class Rules:
    def __init__(
        self,
        occupations: Mapping[str, Occupation],
        doctors: frozenset[str],
        names: Mapping[str, Entry],
        field_words: Mapping[str, Iterable[str]],
    ) -> None:
        """``names``: each unit group's title, which names it where a rule ranks a group no
        alias read. ``field_words``: the cue words of each kind in FIELD_GROUPS, which also
        begin compounds."""
        self._doctor_words = doctors
        self._residual = frozenset(c for c, o in occupations.items() if o.residual)
        self._professional = frozenset(c for c, o in occupations.items() if o.professional)
        self._assistants = {
            c: names[a] for c, o in occupations.items() if (a := o.assistants) and a in names
        }
        self._fields = {
            kind: (
                tuple(field_words.get(kind, ())),
                {level: names[c] for level, c in groups if c in names},
                frozenset(c for _, c in groups),
            )
            for kind, groups in FIELD_GROUPS.items()
        }

    def apply(
        self, ranked: Ranking, title: TitleReading, language: str | None
    ) -> tuple[Ranking, set[str], list[str]]:
        reasons: list[str] = []
        scored_best = ranked[0][1]
        ranked, demoted = self._residual_groups_give_way(ranked, reasons)
        if not title.cues("nurse"):
            # In a nurse's title a doctor's word describes the field ("Enfermeiro
            # especialista em enfermagem médico-cirúrgica").
            ranked, precedence = self._doctor_precedence(ranked, reasons, language, title)
            demoted |= precedence
        ranked, demoted = self._doctor_of_a_field(ranked, demoted, title, reasons, language)
        ranked, demoted = _nurse_of_a_field(ranked, demoted, title, reasons)
        ranked, demoted = self._level_cues(ranked, demoted, title, reasons)
        ranked, demoted = _care_at_home(ranked, demoted, title, reasons)
        for kind in FIELD_GROUPS:
            ranked, demoted = self._field_named(kind, ranked, demoted, title, reasons)
        demoted = _readings_inside_the_best(ranked, demoted, title, reasons)
        if title.cues("academic") and title.names_a_doctor(self._doctor_words):
            # "Doctor of Laws", "Doktor der Philosophie": an academic doctorate outside
            # medicine. Last, so that no rule above makes a physician of it again.
            reasons.append("an academic doctorate outside medicine")
            demoted |= {"2211", "2212"}
        demoted = self._doctor_only_abroad(ranked, demoted, scored_best, title, reasons, language)
        return ranked, demoted, reasons

    def _doctor_only_abroad(
        self,
        ranked: Ranking,
        demoted: set[str],
        scored_best: Scored,
        title: TitleReading,
        reasons: list[str],
        language: str | None,
    ) -> set[str]:
        """ "Medical records specialist" (en) read as the Romanian "medic specialist": a
        doctor only in another language's words is for a person to confirm. A reading a
        rule made (``ranked[0]`` is no longer ``scored_best``: "Bolalar pulьmonolog
        vrachi", a doctor of a field) is the rule's, which asked where the doctor's word
        was read."""
        code, top = ranked[0]
        if (
            top is scored_best
            and code in ("2211", "2212")
            and self._doctor_read_abroad(top, title, language)
        ):
            reasons.append(f"a doctor only in another language's alias {top.entry.text!r}")
            return demoted | {code}
        return demoted

    def fields_named(self, title: TitleReading) -> list[Entry]:
        """The groups of the fields the title names, the professional's first."""
        return [
            name
            for kind, (_, groups, _) in self._fields.items()
            if title.cues(kind)
            for name in groups.values()
        ]

    def _field_named(
        self,
        kind: str,
        ranked: Ranking,
        demoted: set[str],
        title: TitleReading,
        reasons: list[str],
    ) -> tuple[Ranking, set[str]]:
        """A title naming a field of FIELD_GROUPS that the best alias does not read
        ("Dyreklinikassistent", an animal clinic's assistant, read as a dental clinic
        assistant; "Bioenergoterapeuta" read as a therapist) names that field's group at the
        same level: the first reading for a person to weigh, not a decision."""
        code, top = ranked[0]
        words, groups, codes = self._fields[kind]
        if not title.cues(kind) or code in codes:
            return ranked, demoted
        if any(t.startswith(words) for t in top.entry.tokens):
            return ranked, demoted  # the alias names the field too ("animal-assisted therapist")
        name = groups.get("professional" if code in self._professional else "associate")
        if name is None:
            return ranked, demoted
        reasons.append(f"a title naming the field of {name.text!r}")
        return listed_first(read_as(name.isco_code, name, top), ranked, demoted)

    def _doctor_precedence(
        self, ranked: Ranking, reasons: list[str], language: str | None, title: TitleReading
    ) -> tuple[Ranking, set[str]]:
        """When the title names a doctor and, fully, another occupation, it is the more specific
        one: dentistry, veterinary or hygiene doctors keep their code; a doctor of anything else
        ("врач-лаборант", "Facharzt für ...") is a specialist. The two aliases explain the title
        together."""
        contained = [code for code, scored in ranked if scored.alias_cov >= CONTAINED]
        if "2211" not in contained or len(contained) == 1:
            return ranked, set()
        by_code = dict(ranked)
        others = [code for code in contained if code != "2211"]
        if self._doctor_read_abroad(by_code["2211"], title, language) or (
            _doctors_word_qualifies_another(by_code, others)
        ):
            return ranked, set()
        chosen = next((code for code in DOCTOR_PRECEDENCE if code in others), "2212")
        if title.cues("assistant") and chosen == "2212" and "2212" not in others:
            # "Assistant médico-technique": an assistant's title naming medicine is no doctor's.
            return ranked, set()
        source = by_code.get(chosen) or by_code[others[0]]
        generic = by_code["2211"]
        adds = any(x > y + 0.2 for x, y in zip(source.coverage, generic.coverage, strict=True))
        if not adds:
            # "Bachelor of Medicine and Bachelor of Surgery" already explains "surgery".
            return ranked, set()
        union = tuple(max(a, b) for a, b in zip(source.coverage, generic.coverage, strict=True))
        score = reading_score(
            min(source.alias_cov, generic.alias_cov),
            float(title.weights @ union),
            (source.entry, generic.entry),
            language,
        )
        reasons.append(f"doctor's title naming {source.entry.text!r}")
        demoted = {"2211", *others} - {chosen}
        rest = [item for item in ranked if item[0] != chosen]
        return [(chosen, Scored(score, source.alias_cov, source.entry, union)), *rest], demoted

    def _doctor_read_abroad(
        self, generalist: Scored, title: TitleReading, language: str | None
    ) -> bool:
        """Whether the title's word for a doctor is only like another language's: "medical"
        is close to the Spanish and Portuguese "médico", but an English "Medical
        receptionist" names no doctor. The same word as written is the same word
        ("doktor medicine" in a Croatian title and a Serbian alias)."""
        if language is None or generalist.entry.language == language:
            return False
        doctor = title.doctor_positions(self._doctor_words)
        return any(0.0 < generalist.coverage[i] < 1.0 for i in doctor)

    def _residual_groups_give_way(
        self, ranked: Ranking, reasons: list[str]
    ) -> tuple[Ranking, set[str]]:
        """ESCO files some names ("radioloog", "revalidatiearts") under a specific group and
        under a group "not elsewhere classified". A residual group holds an occupation only
        where no other group does, so where both read the title in full through the same
        name it gives way to the specific one."""
        gives_way: dict[str, tuple[str, Scored]] = {}
        for code, scored in ranked:
            if code not in self._residual:
                continue
            name = scored.entry.text.casefold()
            for other in ranked:  # best first: only those scoring as well are looked at
                other_code, other_scored = other
                if other_scored.score < scored.score:
                    break
                if (
                    other_code not in self._residual
                    and other_scored.alias_cov >= CONTAINED
                    and min(other_scored.coverage) >= CONTAINED
                    and other_scored.entry.text.casefold() == name
                ):
                    gives_way[code] = other
                    break
        if not gives_way:
            return ranked, set()
        reasons.append("a group not elsewhere classified gives way to a specific one")
        if ranked[0][0] in gives_way:
            ranked = best_gives_way(ranked, gives_way[ranked[0][0]])
        return ranked, set(gives_way)

    def _doctor_of_a_field(
        self,
        ranked: Ranking,
        demoted: set[str],
        title: TitleReading,
        reasons: list[str],
        language: str | None,
    ) -> tuple[Ranking, set[str]]:
        """ "Врач ультразвуковой диагностики", "Arts voor maatschappij en gezondheid": a bare
        doctor word followed by a field the generalist alias does not explain names a
        specialist."""
        code, top = ranked[0]
        if code != "2211" or top.alias_cov < CONTAINED:
            return ranked, demoted
        if self._doctor_read_abroad(top, title, language):
            return ranked, demoted
        if not title.names_a_doctor(self._doctor_words) or not set(top.entry.tokens) <= (
            self._doctor_words
        ):
            return ranked, demoted
        unexplained = [
            i for i, c in enumerate(top.coverage) if c < 0.5 and len(title.tokens[i]) > 3
        ]
        if not unexplained or title.cues("credential"):
            # A degree document ("Diplom ... Doktor der Medizin") names no field of practice.
            return ranked, demoted
        if title.cues("nurse"):
            return ranked, demoted  # a doctor's word describing a nurse's field
        general = set(title.cues("general_practice"))
        # "Lekar opšte prakse": general practice, with the words for practice or medicine.
        if general and set(unexplained) <= general | set(title.cues("generic_field")):
            reasons.append("doctor of general or family practice")
            return ranked, demoted
        if set(unexplained) <= general | set(title.cues("trainee")):
            # In training, not a field: ISCO-08 classes doctors in postgraduate clinical
            # training with generalists, unless the title names the specialty.
            reasons.append("doctor in postgraduate training without a named specialty")
            return ranked, demoted | {"2212"}
        own = next(
            (
                item
                for item in ranked
                if item[0] in OWN_CODE_DOCTORS and min(item[1].coverage) >= CONTAINED
            ),
            None,
        )
        if own is not None:
            # "Veterinary doctor": a name of the veterinarians reads the whole title; the
            # field is theirs. One that leaves the doctor's word out ("erakorralise
            # meditsiini veterinaararst") only shares the field's words.
            reasons.append(f"doctor's title naming the field of {own[1].entry.text!r}")
            return gives_way_to(own, ranked, demoted | {"2211", "2212"})
        specialist = next((s for c, s in ranked if c == "2212"), None)
        entry = specialist.entry if specialist else top.entry
        reasons.append("doctor's title naming a field of medicine")
        return gives_way_to(read_as("2212", entry, top), ranked, demoted | {"2211"})

    def _assistant_of(
        self, ranked: Ranking, demoted: set[str], assistant: list[int], reasons: list[str]
    ) -> tuple[Ranking, set[str]]:
        """Whom the assistant assists, best first: an associate-level candidate reading the
        cue and other words of the title; those who assist the profession named, where
        ISCO-08 defines them ("Zahnarztassistentin", "Kieferorthopädischer Fachhelfer");
        an associate reading the cue; the best associate. Without one, no professional
        decides ("Diş Hekimi Asistanı", the dentist's assistant, is no resident doctor,
        "Asistan Hekim")."""
        code, top = ranked[0]
        associates = [item for item in ranked if item[0] not in self._professional]
        rest = [i for i in range(len(top.coverage)) if i not in assistant]

        def reads(item: tuple[str, Scored], words: list[int]) -> bool:
            return any(item[1].coverage[i] >= 0.5 for i in words)

        named = next((a for a in associates if reads(a, assistant) and reads(a, rest)), None)
        if named is not None:
            return gives_way_to(named, ranked, demoted | {code})
        professionals = {c for c, _ in ranked if c in self._professional}
        name = self._assistants.get(code)
        if name is not None:
            listed = next((a for a in associates if a[0] == name.isco_code), None)
            if listed is not None:
                if reads(listed, assistant):
                    # Their alias reads the cue, the profession's the rest ("Zahnarzt" and
                    # "Assistentin"): together they read the title as well as the profession.
                    reasons.append(f"the assistants of that profession: {name.text!r}")
                    listed = read_as(name.isco_code, listed[1].entry, top)
                return gives_way_to(listed, ranked, demoted | {code})
            # No alias of theirs shares the title's words: the first reading for a person to
            # weigh, not a decision.
            reasons.append(f"the assistants of that profession: {name.text!r}")
            return listed_first(read_as(name.isco_code, name, top), ranked, demoted | professionals)
        associate = next(
            (a for a in associates if reads(a, assistant)), associates[0] if associates else None
        )
        if associate is not None:
            return gives_way_to(associate, ranked, demoted | {code})
        return ranked, demoted | professionals

    def _level_cues(
        self, ranked: Ranking, demoted: set[str], title: TitleReading, reasons: list[str]
    ) -> tuple[Ranking, set[str]]:
        """An assistant's title is not the professional's ("Ассистент врача-стоматолога" is
        a dental assistant): a professional best alias that leaves the assistant word
        unexplained gives way to whom the assistant assists (see _assistant_of).
        "Without a specialisation" keeps a doctor's title generalist. A nurse, midwife or
        pharmacist "with higher education" ("Медицинская сестра с высшим образованием") is
        the professional, where the words alone name the associate."""
        code, top = ranked[0]
        assistant = title.cues("assistant")
        if (
            assistant
            and code in self._professional
            and all(top.coverage[i] <= SHARED_STEM_SIMILARITY for i in assistant)
        ):
            reasons.append("assistant's title: the professional alias leaves the cue unexplained")
            return self._assistant_of(ranked, demoted, assistant, reasons)
        generalist = next((item for item in ranked if item[0] == "2211"), None)
        if (
            code == "2212"
            and generalist is not None
            and title.cues("generalist")
            and title.names_a_doctor(self._doctor_words)
        ):
            reasons.append("doctor's title without a specialisation")
            return gives_way_to(generalist, ranked, demoted | {"2212"})
        if (
            code in ("2211", "2212")
            and generalist is not None
            and title.cues("general_practice")
            and min(generalist[1].coverage) >= CONTAINED
        ):
            # ESCO files "Facharzt Allgemeinmedizin" under specialists too, where general
            # practice is a specialty; ISCO-08 classes general practitioners as 2211.
            reasons.append("a generalist's title naming general or family practice")
            return gives_way_to(generalist, ranked, demoted | {"2212"})
        specialist = title.cues("specialist")
        if (
            code == "2212"
            and specialist
            and title.names_a_doctor(self._doctor_words, skip=specialist)
        ):
            # "Zdravnik specialist ...": a doctor who is a specialist is a specialist doctor.
            reasons.append("doctor's title naming a specialist")
            return ranked, demoted | {"2211"}
        professional_code = PROFESSIONAL_LEVEL.get(code)
        if professional_code and title.cues("higher_education"):
            professional = next((item for item in ranked if item[0] == professional_code), None)
            if professional is not None:
                reasons.append("associate-level title with a higher-education qualification")
                # Nor is it any level below the professional ("молодша медична сестра").
                below = {c for c, _ in ranked if c not in self._professional}
                return gives_way_to(professional, ranked, demoted | below)
        return ranked, demoted


def _nurse_of_a_field(
    ranked: Ranking, demoted: set[str], title: TitleReading, reasons: list[str]
) -> tuple[Ranking, set[str]]:
    """A nurse's title naming a field of care ("Sestra pre kardiológiu"): a specialised
    nurse, which is a nursing professional. The field's doctor or therapist, whose
    alias leaves the nurse word unexplained, is no candidate; if it was the best alias,
    the nursing professional takes its place."""
    code, top = ranked[0]
    nurse = title.cues("nurse")
    if not nurse:
        return ranked, demoted

    def names_the_field_only(scored: Scored) -> bool:
        # A word matched exactly may be the occupation itself ("Nurse anaesthetist"),
        # not a field of care in its inflected form ("Kardiologijas māsa"): a person
        # decides between the two. An alias only partly in the title ("veselības aprūpes
        # inspektors" in a mental-health nurse's title) shares the field's words only.
        return all(scored.coverage[i] < 0.5 for i in nurse) and (
            scored.alias_cov < CONTAINED
            or not any(c >= 1.0 for i, c in enumerate(scored.coverage) if i not in nurse)
        )

    if code in NURSING_CODES:
        fields = {c for c, scored in ranked[1:] if c not in NURSING_CODES
                  and names_the_field_only(scored)}  # fmt: skip
        if fields:
            reasons.append("nurse's title naming a field of care")
        return ranked, demoted | fields
    if not names_the_field_only(top):
        return ranked, demoted
    professional = next((s for c, s in ranked if c == "2221"), None)
    entry = professional.entry if professional else top.entry
    reasons.append("nurse's title naming a field of care")
    return gives_way_to(read_as("2221", entry, top), ranked, demoted | {code})


def _care_at_home(
    ranked: Ranking, demoted: set[str], title: TitleReading, reasons: list[str]
) -> tuple[Ranking, set[str]]:
    """ISCO-08 tells care workers apart by where they work: in an institution (5321) or in
    the person's home (5322). A title saying "at home" ("Asistent ošetrovateľa ... v
    domácnosti") is the home carer's, where the words alone read the institution's, which
    no longer competes."""
    codes = [code for code, _ in ranked]
    if not title.cues("home") or "5321" not in codes or "5322" not in codes:
        return ranked, demoted
    institution, home = codes.index("5321"), codes.index("5322")
    if home < institution:
        return ranked, demoted
    reasons.append("care given at home")
    # As well read as the institution's carer: the words name a carer, the cue where.
    moved = read_as("5322", ranked[home][1].entry, ranked[institution][1])
    rest = [item for item in ranked if item[0] != "5322"]
    rest.insert(institution, moved)
    return rest, (demoted | {"5321"}) - {"5322"}


def _readings_inside_the_best(
    ranked: Ranking, demoted: set[str], title: TitleReading, reasons: list[str]
) -> set[str]:
    """A candidate that explains no word of the title better than the best one, and some
    word clearly worse, reads only part of what the best one reads ("zdravnik" inside
    "zobozdravnik specialist"): it is no competing reading and leaves the margin alone.
    "Specialist" qualifies the occupation written with it ("Nutričný terapeut
    špecialista" is a dietitian), so no candidate (specialist doctors least, whose
    aliases are often the bare word) competes with that occupation through it alone."""
    code, top = ranked[0]
    qualifiers = set(title.cues("specialist")) if code != "2212" else set()
    read = [i for i in range(len(top.coverage)) if i not in qualifiers]
    # The limits once, compared in C: every title weighs a dozen candidates against them.
    as_well, worse = _as_well(top, read), [top.coverage[i] - DISTINCT_READING for i in read]
    every_word = not qualifiers  # most titles: each candidate's coverage as it is
    inside = set()
    for other, scored in ranked[1:]:
        coverage = scored.coverage if every_word else [scored.coverage[i] for i in read]
        if all(map(le, coverage, as_well)) and any(map(lt, coverage, worse)):
            inside.add(other)
    if inside - demoted:
        reasons.append("other candidates read only part of the best one's words")
    return demoted | inside


def reads_nothing_better(scored: Scored, other: Scored, words: list[int]) -> bool:
    """Whether ``scored`` explains none of the title's ``words`` better than ``other`` does."""
    return all(map(le, [scored.coverage[i] for i in words], _as_well(other, words)))


def _as_well(other: Scored, words: list[int]) -> list[float]:
    """How well a candidate may explain each of ``words`` and read it no better than
    ``other`` does."""
    return [other.coverage[i] + REPEATED_READING for i in words]


def gives_way_to(
    head: tuple[str, Scored], ranked: Ranking, demoted: set[str]
) -> tuple[Ranking, set[str]]:
    """A cue chose ``head``: it comes first and competes, whatever a rule before it
    demoted; the former best comes next, the first alternative for a person to see."""
    return best_gives_way(ranked, head), demoted - {head[0]}


def listed_first(
    head: tuple[str, Scored], ranked: Ranking, demoted: set[str]
) -> tuple[Ranking, set[str]]:
    """A cue names ``head``, which no alias read: it comes first for a person to confirm,
    and neither it nor the former best decides."""
    return best_gives_way(ranked, head), demoted | {head[0], ranked[0][0]}


def read_as(code: str, entry: Entry, reading: Scored) -> tuple[str, Scored]:
    """``code`` with another candidate's reading of the title: the words are read as well,
    the cue says whose they are. ``entry`` is the alias that names it."""
    return code, Scored(reading.score, reading.alias_cov, entry, reading.coverage)


def best_gives_way(ranked: Ranking, head: tuple[str, Scored]) -> Ranking:
    best, *rest = ranked
    if best[0] == head[0]:
        return [head, *rest]
    return [head, best, *(item for item in rest if item[0] != head[0])]


def _doctors_word_qualifies_another(by_code: dict[str, Scored], others: list[str]) -> bool:
    """ "Técnico de laboratorio médico", "Tecnico di radiologia medica": where a language
    writes the adjective as its noun for a doctor, the adjective follows the noun it
    qualifies. A doctor's word after the words of another occupation's name that the title
    contains, ending the title or part of that name ("Técnicos de laboratorios médicos"),
    says what kind of that occupation it is. A doctor's title names the doctor first
    ("Lekarz – specjalista ...", "Врач-лаборант"), or, in the languages that put the head
    last, with a word for a doctor that is no adjective ("Mitybos higienos gydytojas"); and
    a doctor named in the middle is a noun ("Ассистент врача-стоматолога")."""
    doctor = [i for i, c in enumerate(by_code["2211"].coverage) if c >= CONTAINED]
    ends_the_title = doctor == [len(by_code["2211"].coverage) - 1]
    for code in others:
        if code in DOCTOR_PRECEDENCE:
            continue
        coverage = by_code[code].coverage
        if any(c >= CONTAINED for c in coverage[: doctor[0]]) and (
            ends_the_title or all(coverage[i] >= CONTAINED for i in doctor)
        ):
            return True
    return False
