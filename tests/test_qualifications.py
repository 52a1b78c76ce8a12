from __future__ import annotations

from sqlalchemy import select

from registry.audit.models import AuditEvent
from registry.professionals.models import Professional
from schema.ids import from_global_id
from tests.factories import ADD_QUALIFICATION, add_qualification, qualification_input, register
from tests.helpers import Api

UPDATE = """
mutation($input: UpdateQualificationInput!) {
  updateQualification(input: $input) {
    __typename
    ... on QualificationUpdated { qualification { id version institution awardDate originalTitle
        occupation { iscoCode } mapping { method score matchedAlias } } }
    ... on VersionConflict { expectedVersion currentVersion }
    ... on ValidationFailed { issues { field code } }
    ... on NotFound { entity }
  }
}
"""
REMOVE = """
mutation($input: RemoveQualificationInput!) {
  removeQualification(input: $input) {
    __typename
    ... on QualificationRemoved { id }
    ... on VersionConflict { expectedVersion currentVersion }
    ... on NotFound { entity id }
  }
}
"""
NESTED = """
query($id: ID!) { professional(id: $id) {
  qualifications { id kind originalTitle titleLanguage institution awardDate evidenceLevel
    trainingCountry { code } occupation { iscoCode title } mapping { method }
    documents { kind fileName sha256 pages } professional { familyName } } } }
"""


def test_add_stores_every_field_and_manual_mapping(api: Api, admin: str) -> None:
    person = register(api, admin)
    add_qualification(
        api,
        admin,
        person["id"],
        institution="Bogomolets National Medical University",
        documents=[{"kind": "diploma", "fileName": "diploma.pdf", "sha256": "A" * 64, "pages": 2}],
    )
    [q] = api.gql(NESTED, admin, id=person["id"])["professional"]["qualifications"]
    assert q["kind"] == "BASIC_DEGREE"
    assert q["originalTitle"] == "Сестра медична"
    assert q["titleLanguage"] == "ukr"
    assert q["institution"] == "Bogomolets National Medical University"
    assert q["awardDate"] == "2008-06-30"
    assert q["evidenceLevel"] == "FULL"
    assert q["trainingCountry"] == {"code": "UA"}
    assert q["occupation"] == {"iscoCode": "2221", "title": "Nursing professionals"}
    assert q["mapping"] == {"method": "MANUAL"}
    assert q["documents"] == [
        {"kind": "diploma", "fileName": "diploma.pdf", "sha256": "a" * 64, "pages": 2}
    ]
    assert q["professional"] == {"familyName": "Shevchenko"}
    assert api.audit_count("qualification.added") == 1


def test_add_with_an_unmappable_title_leaves_it_unmapped(api: Api, admin: str) -> None:
    person = register(api, admin)
    q = add_qualification(
        api, admin, person["id"], iscoCode=None, evidenceLevel="NONE", originalTitle="Diplom 4711"
    )
    assert q["occupation"] is None


def test_update_clears_nullable_fields_and_keeps_omitted_ones(api: Api, admin: str) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"], institution="Old name")
    result = api.gql(
        UPDATE, admin, input={"id": q["id"], "version": 1, "institution": None, "iscoCode": "3221"}
    )["updateQualification"]
    assert result["__typename"] == "QualificationUpdated"
    updated = result["qualification"]
    assert updated["version"] == 2
    assert updated["institution"] is None
    assert updated["awardDate"] == "2008-06-30"
    assert updated["originalTitle"] == "Сестра медична"
    assert updated["occupation"] == {"iscoCode": "3221"}
    assert updated["mapping"] == {"method": "MANUAL", "score": None, "matchedAlias": None}
    event = api.scalar(select(AuditEvent).where(AuditEvent.action == "qualification.updated"))
    assert event.before["institution"] == "Old name"
    assert event.after["institution"] is None


def test_update_with_stale_version_conflicts(api: Api, admin: str) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"])
    api.gql(UPDATE, admin, input={"id": q["id"], "version": 1, "institution": "A"})
    result = api.gql(UPDATE, admin, input={"id": q["id"], "version": 1, "institution": "B"})
    assert result["updateQualification"] == {
        "__typename": "VersionConflict",
        "expectedVersion": 1,
        "currentVersion": 2,
    }


def test_remove_needs_current_version_and_is_audited(api: Api, admin: str) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"])
    stale = api.gql(REMOVE, admin, input={"id": q["id"], "version": 7})["removeQualification"]
    assert stale["__typename"] == "VersionConflict"
    removed = api.gql(REMOVE, admin, input={"id": q["id"], "version": 1})["removeQualification"]
    assert removed == {"__typename": "QualificationRemoved", "id": q["id"]}
    assert api.gql(NESTED, admin, id=person["id"])["professional"]["qualifications"] == []
    event = api.scalar(select(AuditEvent).where(AuditEvent.action == "qualification.removed"))
    assert event.before["original_title"] == "Сестра медична"
    again = api.gql(REMOVE, admin, input={"id": q["id"], "version": 1})["removeQualification"]
    assert again == {"__typename": "NotFound", "entity": "Qualification", "id": q["id"]}


def test_add_to_unknown_professional_is_not_found(api: Api, admin: str) -> None:
    ghost = "UHJvZmVzc2lvbmFsOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="
    result = api.gql(ADD_QUALIFICATION, admin, input=qualification_input(ghost))["addQualification"]
    assert result == {"__typename": "NotFound", "entity": "Professional", "id": ghost}


def test_node_resolves_both_types(api: Api, admin: str) -> None:
    person = register(api, admin)
    q = add_qualification(api, admin, person["id"])
    query = """query($id: ID!) { node(id: $id) { __typename id
        ... on Professional { familyName } ... on Qualification { originalTitle } } }"""
    assert api.gql(query, admin, id=person["id"])["node"] == {
        "__typename": "Professional",
        "id": person["id"],
        "familyName": "Shevchenko",
    }
    assert api.gql(query, admin, id=q["id"])["node"] == {
        "__typename": "Qualification",
        "id": q["id"],
        "originalTitle": "Сестра медична",
    }
    unknown_type = "Rm9vOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="  # Foo:<uuid>
    assert api.gql(query, admin, id=unknown_type)["node"] is None


def test_credentials_keep_the_primary_occupation_without_bumping_the_version(
    api: Api, admin: str
) -> None:
    """Statistics count a person under their latest credential's occupation; keeping that
    derived value must not make the registrar's next edit of the person conflict."""
    person = register(api, admin)
    pid = from_global_id(person["id"])[1]
    add_qualification(api, admin, person["id"], iscoCode="3221", awardDate="2005-06-30")
    newer = add_qualification(
        api, admin, person["id"], iscoCode="2221", awardDate="2012-06-30", trainingCountry="PL"
    )

    def primary() -> tuple[str | None, str | None, int]:
        stored = api.scalar(select(Professional).where(Professional.id == pid))
        return stored.primary_isco_code, stored.primary_training_country, stored.version

    assert primary() == ("2221", "PL", 1)
    removed = api.gql(
        """mutation($input: RemoveQualificationInput!) { removeQualification(input: $input) {
          __typename } }""",
        admin,
        input={"id": newer["id"], "version": newer["version"]},
    )["removeQualification"]
    assert removed == {"__typename": "QualificationRemoved"}
    assert primary() == ("3221", "UA", 1)
