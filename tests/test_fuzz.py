"""Property-based fuzzing of the whole schema (hypothesis-graphql), in process, for every
role, in production mode: no server error, no masked exception, and nothing a role must
not see. A bounded run is part of the test command; a longer one:

    REGISTRY_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/test_fuzz.py
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import hypothesis_graphql as hg
import pytest
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from starlette.testclient import TestClient

from registry.settings import Environment, Settings
from schema.app import create_app
from schema.ids import from_global_id
from schema.schema import print_sdl
from tests.factories import add_qualification, create_organisation, register
from tests.helpers import Api

EXAMPLES = int(os.environ.get("REGISTRY_FUZZ_EXAMPLES", "25"))
SDL = print_sdl()
SCALARS = {
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
    "DateTime": st.datetimes(timezones=st.just(UTC)).map(lambda d: nodes.String(d.isoformat())),
    "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: nodes.String(str(d))
    ),
}
# Fields no one but an admin or an authority may ever receive, and the people who must
# stay invisible to each role (see the fixture).
RECORD_ONLY = {"birthDate", "protectionStatus", "sex", "citizenships", "documents"}


@pytest.fixture
def prod(clean_db: Settings) -> Iterator[Api]:
    settings = dataclasses.replace(
        clean_db, environment=Environment.PRODUCTION, rate_limit="100000/minute"
    )
    with TestClient(create_app(settings)) as client:
        yield Api(client)


@pytest.fixture
def world(prod: Api) -> dict[str, Any]:
    admin = prod.token("admin")
    agency = create_organisation(prod, admin, "RECRUITMENT_AGENCY", "DE")
    visible = register(prod, admin, familyName="Sichtbar")
    hidden = register(
        prod, admin, familyName="Verborgen", residenceCountry="FR", consentToPlacement=False
    )
    for person in (visible, hidden):
        add_qualification(prod, admin, person["id"])
    return {
        "tokens": {
            "admin": admin,
            "accreditation_body": prod.token("accreditation_body", "DE"),
            "placement_agency": prod.token(
                "placement_agency", organisation=from_global_id(agency)[1]
            ),
            "researcher": prod.token("researcher"),
        },
        # DE's authority does not hold an FR resident's record; the agency does not see
        # someone who has not consented; researchers see no one.
        "invisible": {
            "admin": set(),
            "accreditation_body": {"Verborgen"},
            "placement_agency": {"Verborgen"},
            "researcher": {"Verborgen", "Sichtbar"},
        },
    }


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _check(role: str, invisible: set[str], response: Any) -> None:
    assert response.status_code in (200, 400), response.text
    body = response.json()
    for error in body.get("errors", []):
        # A masked error is an exception the server did not expect: a bug to fix.
        assert error["message"] != "Unexpected error.", (error, body)
    text = response.text
    for name in invisible:
        assert name not in text, (role, text)
    if role in ("placement_agency", "researcher"):
        leaked = [(k, v) for k, v in _walk(body.get("data")) if k in RECORD_ONLY and v]
        assert not leaked, (role, leaked)


def _fuzz(prod: Api, world: dict[str, Any], role: str, strategy: st.SearchStrategy[str]) -> None:
    token = world["tokens"][role]
    invisible = world["invisible"][role]

    @seed(20261125)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(strategy)
    def run(document: str) -> None:
        response = prod.client.post(
            "/graphql",
            json={"query": document},
            headers={"Authorization": f"Bearer {token}"},
        )
        _check(role, invisible, response)

    run()


ROLES = ["admin", "accreditation_body", "placement_agency", "researcher"]


@pytest.mark.parametrize("role", ROLES)
def test_fuzzed_queries(prod: Api, world: dict[str, Any], role: str) -> None:
    _fuzz(prod, world, role, hg.queries(SDL, custom_scalars=SCALARS))


@pytest.mark.parametrize("role", ROLES)
def test_fuzzed_mutations(prod: Api, world: dict[str, Any], role: str) -> None:
    _fuzz(prod, world, role, hg.mutations(SDL, custom_scalars=SCALARS))
