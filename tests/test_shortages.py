"""Shortages and candidate matching for placement agencies: recording and importing
shortages, explained ranking with hand-computed scores, gaps, and what agencies may see."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from registry.cli import main
from registry.settings import Settings
from schema.ids import from_global_id, to_global_id
from tests.factories import (
    add_qualification,
    create_authority,
    create_organisation,
    issue_licence,
    move_case,
    register,
    submit_case,
)
from tests.helpers import Api

TODAY = date.today()
RESULT = """__typename
  ... on ShortageRecorded { shortage { id version posts title occupation { iscoCode }
    hostCountry { code } subdivision languages { language level } recognitionRequired } }
  ... on ValidationFailed { issues { field code message } }
  ... on VersionConflict { currentVersion }
  ... on NotFound { entity }
  ... on Forbidden { message }"""
RECORD = (
    f"mutation($input: RecordShortageInput!) {{ recordShortage(input: $input) {{ {RESULT} }} }}"
)
UPDATE = (
    f"mutation($input: UpdateShortageInput!) {{ updateShortage(input: $input) {{ {RESULT} }} }}"
)
IMPORT = """mutation($csv: String!) { importShortages(input: {csv: $csv}) { __typename
  ... on ShortagesImported { shortages { id posts occupation { iscoCode } languages { language } } }
  ... on ValidationFailed { issues { field code message } } ... on Forbidden { message } } }"""
CANDIDATES = """query($id: ID!, $first: Int, $after: String, $all: Boolean) {
  node(id: $id) { ... on Shortage {
    candidates(first: $first, after: $after, includeCodeExcluded: $all) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { score readiness codeStatus
        profile { id familyName residenceCountry { code } }
        factors { name weight value explanation } } } }
    gap { posts readyNow afterRecognition excludedByCode unfilledAfterReady } } } }"""


def shortage_input(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "hostCountry": "DE",
        "subdivision": "DE-BY",
        "iscoCode": "2221",
        "posts": 40,
        "languages": [{"language": "de", "level": "B2"}],
        "recognitionRequired": True,
        "startsOn": TODAY.isoformat(),
        "source": "Bavarian hospital federation survey 2026",
    }
    data.update(overrides)
    return data


def record(api: Api, token: str, **overrides: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.gql(RECORD, token, input=shortage_input(**overrides))[
        "recordShortage"
    ]
    return result


@pytest.fixture
def agency(api: Api, admin: str) -> str:
    organisation = create_organisation(api, admin, "RECRUITMENT_AGENCY", "DE")
    return api.token("placement_agency", organisation=from_global_id(organisation)[1])


def _person(
    api: Api, admin: str, name: str, code: str, residence: str, **overrides: Any
) -> dict[str, Any]:
    person = register(
        api,
        admin,
        familyName=name,
        residenceCountry=residence,
        citizenships=[residence],
        birthCountry=residence,
        **overrides,
    )
    add_qualification(api, admin, person["id"], iscoCode=code, trainingCountry=residence)
    return person


def _licensed(api: Api, admin: str, person: dict[str, Any]) -> None:
    authority = create_authority(api, admin, "DE")
    officer = api.token("accreditation_body", "DE", from_global_id(authority)[1])
    case = submit_case(api, officer, person["id"], iscoCode="2221")
    case = move_case(api, officer, case, "UNDER_REVIEW", fileCompleteOn=TODAY.isoformat())["case"]
    case = move_case(api, officer, case, "RECOGNISED")["case"]
    issue_licence(
        api,
        officer,
        case,
        TODAY.isoformat(),
        validUntil=(TODAY + timedelta(days=365)).isoformat(),
    )


@pytest.fixture
def people(api: Api, admin: str) -> dict[str, dict[str, Any]]:
    """Hand-scored against a DE nursing shortage wanting German B2, recognition required.
    Weights: occupation 35, recognition 25, language 20, residence 10, WHO Code 5, consent 5."""
    de_c1 = [{"code": "de", "level": "C1"}]
    found = {
        # 35 + 25 (licensed) + 20 + 10 + 5 + 5 = 100
        "licensed": _person(api, admin, "Aalto", "2221", "DE", languages=de_c1),
        # 35 + 0 + 20 x 3/4 (B1 for B2) + 10 + 5 + 5 = 70
        "b1": _person(api, admin, "Berger", "2221", "DE"),
        # 35 x 0.6 (3221, close) + 25 x 0.4 (case open) + 20 + 10 + 5 + 5 = 71
        "associate": _person(
            api, admin, "Costa", "3221", "DE", languages=[{"code": "de", "level": "B2"}]
        ),
        # 35 + 0 + 0 + 0 + 5 (Turkey is not listed) + 5 = 45
        "abroad": _person(api, admin, "Demir", "2221", "TR", languages=[]),
        # 35 + 0 + 0 + 0 + 0 (Ghana is listed, no agreement) + 5 = 40
        "listed": _person(api, admin, "Essien", "2221", "GH", languages=[]),
        # 35 + 0 + 20 + 10 + 5 + 0 = 70: admins see them, agencies never
        "private": _person(
            api,
            admin,
            "Fischer",
            "2221",
            "DE",
            languages=[{"code": "de", "level": "B2"}],
            consentToPlacement=False,
        ),
        # never match a nursing post
        "doctor": _person(api, admin, "Graf", "2212", "DE", languages=de_c1),
        "vet": _person(api, admin, "Huber", "2250", "DE", languages=de_c1),
        "dental_technician": _person(api, admin, "Ilić", "3214", "DE", languages=de_c1),
    }
    _licensed(api, admin, found["licensed"])
    authority = create_authority(api, admin, "DE", name="Nursing board")
    officer = api.token("accreditation_body", "DE", from_global_id(authority)[1])
    submit_case(api, officer, found["associate"]["id"], iscoCode="3221")
    return found


def _profile_id(person: dict[str, Any]) -> str:
    return to_global_id("MatchingProfile", from_global_id(person["id"])[1])


def _ranked(api: Api, token: str, shortage: str, **variables: Any) -> list[dict[str, Any]]:
    data = api.gql(CANDIDATES, token, id=shortage, first=20, **variables)["node"]["candidates"]
    return [edge["node"] for edge in data["edges"]]


def test_candidates_are_ranked_by_explained_factors(
    api: Api, admin: str, agency: str, people: dict[str, dict[str, Any]]
) -> None:
    shortage = record(api, agency)["shortage"]["id"]
    ranked = _ranked(api, agency, shortage)
    names = [(c["profile"]["familyName"], c["score"], c["readiness"]) for c in ranked]
    assert names == [
        ("Aalto", 100.0, "READY_NOW"),
        ("Costa", 71.0, "AFTER_RECOGNITION"),
        ("Berger", 70.0, "AFTER_RECOGNITION"),
        ("Demir", 45.0, "AFTER_RECOGNITION"),
    ]
    for candidate in ranked:  # the score is exactly the explained factors' weighted sum
        factors = candidate["factors"]
        assert [f["name"] for f in factors] == [
            "occupation",
            "recognition",
            "language",
            "residence",
            "who_code",
            "consent",
        ]
        assert candidate["score"] == sum(f["weight"] * f["value"] for f in factors) / 100
    costa = {f["name"]: f for f in ranked[1]["factors"]}
    assert costa["occupation"]["value"] == 60
    assert "3221, close to 2221" in costa["occupation"]["explanation"]
    assert costa["recognition"]["explanation"] == (
        "recognition case open in DE; the posts need it complete"
    )
    berger = {f["name"]: f for f in ranked[2]["factors"]}
    assert (berger["language"]["value"], berger["language"]["explanation"]) == (
        75,
        "deu: B1 for B2 wanted",
    )
    demir = {f["name"]: f for f in ranked[3]["factors"]}
    assert demir["residence"]["explanation"] == "lives in TR, not DE"
    assert ranked[3]["codeStatus"] == "NOT_LISTED"


def test_the_who_code_excludes_listed_countries_unless_asked(
    api: Api, agency: str, people: dict[str, dict[str, Any]]
) -> None:
    shortage = record(api, agency)["shortage"]["id"]
    everyone = _ranked(api, agency, shortage, all=True)
    excluded = [c for c in everyone if c["codeStatus"] == "MUST_NOT_ACTIVELY_RECRUIT"]
    assert [(c["profile"]["familyName"], c["score"]) for c in excluded] == [("Essien", 40.0)]
    code = {f["name"]: f for f in excluded[0]["factors"]}["who_code"]
    assert code["value"] == 0
    assert "Code art. 5.1" in code["explanation"]
    gap = api.gql(CANDIDATES, agency, id=shortage)["node"]["gap"]
    assert gap == {
        "posts": 40,
        "readyNow": 1,
        "afterRecognition": 3,
        "excludedByCode": 1,
        "unfilledAfterReady": 39,
    }


def test_admins_see_non_consenting_people_with_ties_broken_by_id(
    api: Api, admin: str, people: dict[str, dict[str, Any]]
) -> None:
    shortage = record(api, admin)["shortage"]["id"]
    ranked = _ranked(api, admin, shortage)
    scores = [(c["profile"]["familyName"], c["score"]) for c in ranked]
    tied = sorted([people["b1"], people["private"]], key=lambda p: str(from_global_id(p["id"])[1]))
    assert scores == [
        ("Aalto", 100.0),
        ("Costa", 71.0),
        (tied[0]["familyName"], 70.0),
        (tied[1]["familyName"], 70.0),
        ("Demir", 45.0),
    ]
    fischer = next(c for c in ranked if c["profile"]["familyName"] == "Fischer")
    consent = {f["name"]: f for f in fischer["factors"]}["consent"]
    assert (consent["value"], consent["explanation"]) == (
        0,
        "has not consented to be shown to placement agencies",
    )


@pytest.mark.parametrize(
    ("code", "never"),
    [("2221", {"Graf", "Huber", "Ilić"}), ("2250", {"Aalto", "Graf", "Ilić"})],
)
def test_unrelated_occupations_never_match(
    api: Api, admin: str, people: dict[str, dict[str, Any]], code: str, never: set[str]
) -> None:
    shortage = record(api, admin, iscoCode=code)["shortage"]["id"]
    names = {c["profile"]["familyName"] for c in _ranked(api, admin, shortage, all=True)}
    assert not names & never


def test_pages_are_deterministic_and_disjoint(
    api: Api, admin: str, people: dict[str, dict[str, Any]]
) -> None:
    shortage = record(api, admin)["shortage"]["id"]
    whole = [c["profile"]["id"] for c in _ranked(api, admin, shortage, all=True)]
    # Languages reorder this ranking (Costa ranks above Berger only through them), so small
    # pages cross the bound the ranking prunes by.
    for first in (1, 2):
        seen: list[str] = []
        after = None
        while True:
            page = api.gql(CANDIDATES, admin, id=shortage, first=first, after=after, all=True)
            connection = page["node"]["candidates"]
            assert connection["totalCount"] == len(whole)
            seen += [e["node"]["profile"]["id"] for e in connection["edges"]]
            if not connection["pageInfo"]["hasNextPage"]:
                break
            after = connection["pageInfo"]["endCursor"]
        assert seen == whole
    other = record(api, admin)["shortage"]["id"]
    first_page = api.gql(CANDIDATES, admin, id=shortage, first=2)["node"]["candidates"]
    foreign = api.raw(
        CANDIDATES, admin, id=other, first=2, after=first_page["pageInfo"]["endCursor"]
    )
    assert foreign["errors"][0]["extensions"]["issues"][0]["code"] == "invalid_cursor"


def test_candidates_take_a_constant_number_of_statements(
    api: Api, admin: str, people: dict[str, dict[str, Any]]
) -> None:
    shortage = record(api, admin)["shortage"]["id"]
    counts = []
    for first in (1, 5):
        with api.count_statements() as statements:
            api.gql(CANDIDATES, admin, id=shortage, first=first, all=True)
        counts.append(len(statements))
    assert counts[0] == counts[1]


SHORTAGE_LIST = """query($first: Int!) { shortages(first: $first) { edges { node {
  candidates(first: 3, includeCodeExcluded: true) { totalCount
    edges { node { score profile { familyName } } } }
  gap { readyNow afterRecognition excludedByCode } } } } }"""


def test_candidates_of_many_shortages_come_from_one_statement(
    api: Api, admin: str, people: dict[str, dict[str, Any]]
) -> None:
    """Every shortage in a list is ranked in the same statement, and their gaps in one
    more: the statement count does not grow with the list, and each shortage gets its own
    ranking (a midwifery shortage has no nurse candidates)."""
    record(api, admin)
    record(api, admin, iscoCode="2222", languages=[{"language": "fr", "level": "B1"}])
    record(api, admin, hostCountry="AT", subdivision="AT-9", languages=[])
    counts = []
    for first in (1, 3):
        with api.count_statements() as statements:
            data = api.gql(SHORTAGE_LIST, admin, first=first)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    single = {
        node["id"]: node["candidates"]
        for node in (
            api.gql(CANDIDATES_OF, admin, id=edge["node"]["id"])["node"]
            for edge in api.gql(SHORTAGE_IDS, admin)["shortages"]["edges"]
        )
    }
    listed = [edge["node"] for edge in data["shortages"]["edges"]]
    assert len(listed) == 3
    assert [n["candidates"] for n in listed] == list(single.values())
    assert any(n["candidates"]["totalCount"] == 0 for n in listed)


SHORTAGE_IDS = """{ shortages(first: 3) { edges { node { id } } } }"""
CANDIDATES_OF = """query($id: ID!) { node(id: $id) { ... on Shortage { id
  candidates(first: 3, includeCodeExcluded: true) { totalCount
    edges { node { score profile { familyName } } } } } } }"""


MATCHES = """query($id: ID!) { node(id: $id) { ... on MatchingProfile {
  familyName matchingShortages(first: 10) { totalCount edges { node {
    score readiness codeStatus
    shortage { occupation { iscoCode } hostCountry { code } } } } } } } }"""


def test_a_person_sees_the_shortages_they_fit_best_first(
    api: Api, admin: str, agency: str, people: dict[str, dict[str, Any]]
) -> None:
    record(api, agency)  # 2221 in DE: 100 for the licensed nurse
    record(api, agency, iscoCode="3221", languages=[])  # close: 21 + 25 + 20 + 10 + 5 + 5
    record(api, agency, hostCountry="AT", subdivision=None, languages=[])  # 35+0+20+0+5+5
    record(api, agency, iscoCode="2212")  # never
    data = api.gql(MATCHES, agency, id=_profile_id(people["licensed"]))["node"]
    found = [
        (
            e["node"]["shortage"]["hostCountry"]["code"],
            e["node"]["shortage"]["occupation"]["iscoCode"],
            e["node"]["score"],
        )
        for e in data["matchingShortages"]["edges"]
    ]
    assert found == [("DE", "2221", 100.0), ("DE", "3221", 86.0), ("AT", "2221", 65.0)]
    via_professional = api.gql(
        "query($id: ID!) { professional(id: $id) { matchingShortages { totalCount } } }",
        admin,
        id=people["licensed"]["id"],
    )
    assert via_professional["professional"]["matchingShortages"]["totalCount"] == 3


def test_agencies_see_only_consenting_people_and_only_matching_fields(
    api: Api, admin: str, agency: str, people: dict[str, dict[str, Any]]
) -> None:
    consenting, private = people["b1"], people["private"]
    profile = (
        "query($id: ID!) { node(id: $id) { __typename ... on MatchingProfile { familyName } } }"
    )
    assert api.gql(profile, agency, id=_profile_id(consenting))["node"] == {
        "__typename": "MatchingProfile",
        "familyName": "Berger",
    }
    assert api.gql(profile, agency, id=_profile_id(private))["node"] is None
    assert api.gql(profile, admin, id=_profile_id(private))["node"]["familyName"] == "Fischer"
    # The full record stays closed to agencies, through every path.
    record_query = "query($id: ID!) { node(id: $id) { id } professional(id: $id) { id } }"
    closed = api.raw(record_query, agency, id=consenting["id"])
    assert closed["data"] == {"node": None, "professional": None}
    assert {e["extensions"]["code"] for e in closed["errors"]} == {"FORBIDDEN"}
    for field in (
        "protectionStatus",
        "birthDate",
        "citizenships { code }",
        "qualifications { id }",
    ):
        probe = api.raw(
            "query($id: ID!) { node(id: $id) { ... on MatchingProfile { " + field + " } } }",
            agency,
            id=_profile_id(consenting),
        )
        assert "Cannot query field" in probe["errors"][0]["message"]
    matches = api.gql(MATCHES, agency, id=_profile_id(private))
    assert matches["node"] is None


def test_researchers_get_no_candidates(
    api: Api, admin: str, people: dict[str, dict[str, Any]]
) -> None:
    shortage = record(api, admin)["shortage"]["id"]
    researcher = api.token("researcher")
    answer = api.raw(CANDIDATES, researcher, id=shortage)
    assert answer["data"]["node"] is None
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"


GAPS = """query($host: String) { shortageGaps(hostCountry: $host) {
  hostCountry { code } occupation { iscoCode } posts shortages readyNow afterRecognition
  excludedByCode } }"""


def test_gaps_per_country_and_occupation(
    api: Api, admin: str, agency: str, people: dict[str, dict[str, Any]]
) -> None:
    record(api, agency, posts=40)
    record(api, agency, posts=10, subdivision="DE-BE")
    record(api, agency, posts=5, iscoCode="2250")
    record(
        api,
        agency,
        posts=7,
        endsOn=(TODAY - timedelta(days=1)).isoformat(),
        startsOn=(TODAY - timedelta(days=30)).isoformat(),
    )  # ended: not counted
    gaps = api.gql(GAPS, agency, host="DE")["shortageGaps"]
    assert gaps == [
        {
            "hostCountry": {"code": "DE"},
            "occupation": {"iscoCode": "2221"},
            "posts": 50,
            "shortages": 2,
            "readyNow": 1,
            "afterRecognition": 3,
            "excludedByCode": 1,
        },
        {
            "hostCountry": {"code": "DE"},
            "occupation": {"iscoCode": "2250"},
            "posts": 5,
            "shortages": 1,
            "readyNow": 0,
            "afterRecognition": 1,
            "excludedByCode": 0,
        },
    ]


def test_recording_maps_a_title_and_is_audited(api: Api, agency: str) -> None:
    result = record(api, agency, iscoCode=None, title="Gesundheits- und Krankenpfleger")
    assert result["__typename"] == "ShortageRecorded", result
    assert result["shortage"]["occupation"]["iscoCode"] == "2221"
    assert result["shortage"]["title"] == "Gesundheits- und Krankenpfleger"
    assert api.audit_count("shortage.created") == 1


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"posts": 0}, "input.posts", "out_of_range"),
        ({"hostCountry": "XX"}, "input.hostCountry", "unknown_country"),
        ({"subdivision": "FR-IDF"}, "input.subdivision", "wrong_country"),
        ({"iscoCode": "9999"}, "input.iscoCode", "unknown_occupation"),
        ({"iscoCode": None, "title": "asdf qwerty"}, "input.title", "title_not_mapped"),
        ({"iscoCode": None}, "input.iscoCode", "required"),
        ({"endsOn": "2000-01-01"}, "input.endsOn", "before_start"),
        (
            {"languages": [{"language": "de", "level": "B2"}, {"language": "deu", "level": "C1"}]},
            "input.languages[1].language",
            "duplicate",
        ),
        (
            {"languages": [{"language": "xx", "level": "B2"}]},
            "input.languages[0].language",
            "unknown_language",
        ),
        ({"source": " "}, "input.source", "required"),
        ({"employerId": "not-an-id"}, "input.employerId", "invalid_id"),
    ],
)
def test_bad_shortages_are_refused_precisely(
    api: Api, agency: str, overrides: dict[str, Any], field: str, code: str
) -> None:
    result = record(api, agency, **overrides)
    assert result["__typename"] == "ValidationFailed", result
    assert (field, code) in [(i["field"], i["code"]) for i in result["issues"]]
    assert api.audit_count("shortage.created") == 0


def test_who_records_and_changes_shortages(api: Api, admin: str, agency: str) -> None:
    researcher = api.token("researcher")
    assert record(api, researcher)["__typename"] == "Forbidden"
    officer = api.token("accreditation_body", "DE")
    assert record(api, officer)["__typename"] == "Forbidden"
    shortage = record(api, agency)["shortage"]
    other_org = create_organisation(api, admin, "EMPLOYER", "DE")
    other = api.token("placement_agency", organisation=from_global_id(other_org)[1])
    change = {"id": shortage["id"], "version": shortage["version"], "posts": 12}
    assert api.gql(UPDATE, other, input=change)["updateShortage"]["__typename"] == "NotFound"
    updated = api.gql(UPDATE, agency, input=change)["updateShortage"]
    assert (updated["shortage"]["posts"], updated["shortage"]["version"]) == (12, 2)
    stale = api.gql(UPDATE, admin, input={**change, "posts": 13})["updateShortage"]
    assert stale == {"__typename": "VersionConflict", "currentVersion": 2}
    languages = api.gql(
        UPDATE,
        admin,
        input={
            "id": shortage["id"],
            "version": 2,
            "languages": [{"language": "en", "level": "C1"}],
        },
    )["updateShortage"]
    assert languages["shortage"]["languages"] == [{"language": "eng", "level": "C1"}]
    assert languages["shortage"]["version"] == 3
    assert api.audit_count("shortage.updated") == 2


CSV_HEADER = (
    "country,subdivision,employer,isco_code,title,posts,languages,recognition_required,"
    "start,end,source\n"
)


def test_import_is_all_or_nothing_with_line_numbers(api: Api, admin: str) -> None:
    bad = (
        CSV_HEADER
        + f"DE,DE-BY,,2221,,40,deu:B2,true,{TODAY},,survey\n"
        + f"DE,,,,Hebamme,three,deu:B2,true,{TODAY},,survey\n"
        + f"XX,,,2221,,5,deu:Z9,maybe,{TODAY},,survey\n"
        + "DE,,,2221,,5,,true,tomorrow,,survey\n"
    )
    result = api.gql(IMPORT, admin, csv=bad)["importShortages"]
    assert result["__typename"] == "ValidationFailed"
    problems = {(i["field"], i["code"]) for i in result["issues"]}
    assert problems >= {
        ("csv.line[3].posts", "not_a_number"),
        ("csv.line[4].languages", "invalid"),
        ("csv.line[4].recognition_required", "not_a_boolean"),
        ("csv.line[5].start", "not_a_date"),
    }
    assert api.gql("{ shortages { totalCount } }", admin)["shortages"]["totalCount"] == 0
    unknown = CSV_HEADER + f"XX,,,2221,,5,,true,{TODAY},,survey\n"
    result = api.gql(IMPORT, admin, csv=unknown)["importShortages"]
    assert [(i["field"], i["code"]) for i in result["issues"]] == [
        ("csv.line[2].hostCountry", "unknown_country")
    ]
    good = (
        CSV_HEADER
        + f"DE,DE-BY,,2221,,40,deu:B2;eng:B1,true,{TODAY},,survey\n"
        + f"DE,,,,Hebamme,3,,no,{TODAY},{TODAY + timedelta(days=90)},survey\n"
    )
    imported = api.gql(IMPORT, admin, csv=good)["importShortages"]
    assert [s["occupation"]["iscoCode"] for s in imported["shortages"]] == ["2221", "2222"]
    assert api.audit_count("shortage.created") == 2


def test_import_command(
    tmp_path: Path,
    clean_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", clean_db.database_url)
    source = tmp_path / "shortages.csv"
    source.write_text(CSV_HEADER + f"DE,,,2221,,4,,true,{TODAY},,ministry\n", encoding="utf-8")
    assert main(["import", "shortages", str(source)]) == 0
    assert "1 added" in capsys.readouterr().out
    source.write_text(CSV_HEADER + f"DE,,,2221,,0,,true,{TODAY},,ministry\n", encoding="utf-8")
    assert main(["import", "shortages", str(source)]) == 2
    assert "csv.line[2].posts" in capsys.readouterr().err
