from __future__ import annotations

import asyncio
from typing import Any

import httpx2 as httpx
from sqlalchemy import select

from registry.audit.models import AuditEvent
from tests.factories import REGISTER, professional_input, register
from tests.helpers import Api

GET = """
query Get($id: ID!) {
  professional(id: $id) {
    id familyName givenNames birthDate sex protectionStatus consentToPlacement version
    birthCountry { code alpha3 name whoRegion }
    residenceCountry { code }
    citizenships { code }
    languages { language { code name } level }
    qualifications { id }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateProfessionalInput!) {
  updateProfessional(input: $input) {
    __typename
    ... on ProfessionalUpdated { professional { id version familyName residenceCountry { code }
        languages { language { code } level } citizenships { code } } }
    ... on VersionConflict { message id expectedVersion currentVersion }
    ... on ValidationFailed { issues { field code message } }
    ... on NotFound { entity id }
    ... on Forbidden { message }
  }
}
"""


def test_register_then_read_back_every_field(api: Api, admin: str) -> None:
    created = register(api, admin)
    assert created["version"] == 1
    got = api.gql(GET, admin, id=created["id"])["professional"]
    assert got["familyName"] == "Shevchenko"
    assert got["birthDate"] == "1985-04-12"
    assert got["sex"] == "FEMALE"
    assert got["protectionStatus"] == "TEMPORARY_PROTECTION"
    assert got["birthCountry"] == {
        "code": "UA",
        "alpha3": "UKR",
        "name": "Ukraine",
        "whoRegion": "EUR",
    }
    assert got["residenceCountry"] == {"code": "DE"}
    assert got["citizenships"] == [{"code": "UA"}]
    # ISO 639-1 input is stored as ISO 639-3.
    assert got["languages"] == [
        {"language": {"code": "deu", "name": "German"}, "level": "B1"},
        {"language": {"code": "ukr", "name": "Ukrainian"}, "level": "NATIVE"},
    ]
    assert got["qualifications"] == []


def test_registration_is_audited_in_the_same_transaction(api: Api, admin: str) -> None:
    created = register(api, admin)
    events = api.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "professional.registered")
    )
    assert events == "professional.registered"
    event = api.scalar(select(AuditEvent).where(AuditEvent.action == "professional.registered"))
    assert event.after["family_name"] == "Shevchenko"
    assert event.actor.startswith("token:")
    assert event.actor.endswith("(admin)")
    assert created["id"]


def test_duplicate_returns_existing_id_and_changes_nothing(api: Api, admin: str) -> None:
    first = register(api, admin)
    before = api.audit_count()
    # Same person written with other case and accents.
    result = api.gql(
        REGISTER, admin, input=professional_input(familyName="SHEVCHENKO", givenNames="Olená")
    )["registerProfessional"]
    assert result["__typename"] == "DuplicateProfessional"
    assert result["existingId"] == first["id"]
    assert api.audit_count() == before


def test_possible_duplicate_can_be_registered_when_confirmed(api: Api, admin: str) -> None:
    register(api, admin)
    second = register(api, admin, allowPossibleDuplicate=True)
    assert second["id"]


def test_update_bumps_version_and_audits_before_and_after(api: Api, admin: str) -> None:
    created = register(api, admin)
    result = api.gql(
        UPDATE,
        admin,
        input={
            "id": created["id"],
            "version": 1,
            "familyName": "Shevchenko-Müller",
            "languages": [{"code": "deu", "level": "C1"}],
        },
    )["updateProfessional"]
    assert result["__typename"] == "ProfessionalUpdated", result
    assert result["professional"]["version"] == 2
    assert result["professional"]["familyName"] == "Shevchenko-Müller"
    assert result["professional"]["languages"] == [{"language": {"code": "deu"}, "level": "C1"}]
    assert result["professional"]["citizenships"] == [{"code": "UA"}]
    event = api.scalar(select(AuditEvent).where(AuditEvent.action == "professional.updated"))
    assert event.before["family_name"] == "Shevchenko"
    assert event.after["family_name"] == "Shevchenko-Müller"
    assert event.before["version"] == 1
    assert event.after["version"] == 2


def test_collection_only_update_also_bumps_version(api: Api, admin: str) -> None:
    created = register(api, admin)
    result = api.gql(
        UPDATE, admin, input={"id": created["id"], "version": 1, "citizenships": ["UA", "PL"]}
    )["updateProfessional"]
    assert result["professional"]["version"] == 2
    assert result["professional"]["citizenships"] == [{"code": "PL"}, {"code": "UA"}]


def test_stale_version_conflicts_and_changes_nothing(api: Api, admin: str) -> None:
    created = register(api, admin)
    api.gql(UPDATE, admin, input={"id": created["id"], "version": 1, "familyName": "A"})
    before = api.audit_count()
    result = api.gql(UPDATE, admin, input={"id": created["id"], "version": 1, "familyName": "B"})[
        "updateProfessional"
    ]
    assert result == {
        "__typename": "VersionConflict",
        "message": result["message"],
        "id": created["id"],
        "expectedVersion": 1,
        "currentVersion": 2,
    }
    assert api.gql(GET, admin, id=created["id"])["professional"]["familyName"] == "A"
    assert api.audit_count() == before


def test_concurrent_updates_one_wins_other_conflicts(api: Api, admin: str) -> None:
    created = register(api, admin)

    async def race() -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=api.client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def update(name: str) -> dict[str, Any]:
                response = await client.post(
                    "/graphql",
                    headers={"Authorization": f"Bearer {admin}"},
                    json={
                        "query": UPDATE,
                        "variables": {
                            "input": {"id": created["id"], "version": 1, "familyName": name}
                        },
                    },
                )
                result: dict[str, Any] = response.json()["data"]["updateProfessional"]
                return result

            return list(await asyncio.gather(*(update(f"Name{i}") for i in range(4))))

    assert api.client.portal is not None
    results = api.client.portal.call(race)
    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["ProfessionalUpdated", "VersionConflict", "VersionConflict", "VersionConflict"]
    winner = next(r for r in results if r["__typename"] == "ProfessionalUpdated")
    stored = api.gql(GET, admin, id=created["id"])["professional"]
    assert stored["familyName"] == winner["professional"]["familyName"]
    assert stored["version"] == 2
    assert api.audit_count("professional.updated") == 1


def test_update_unknown_professional_is_not_found(api: Api, admin: str) -> None:
    created = register(api, admin)
    missing = created["id"][:-8] + "AAAAAA=="  # valid base64, different uuid
    result = api.raw(UPDATE, admin, input={"id": missing, "version": 1, "familyName": "X"})
    kind = result["data"]["updateProfessional"]["__typename"]
    assert kind in {"NotFound", "ValidationFailed"}
