"""Known GraphQL attack payloads against the production configuration, each with the exact
answer expected: nothing reaches a resolver that should not, nothing leaks in an error."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient
from strawberry.extensions.validation_cache import _get_validate_cache

import schema.auth
from registry.professionals import search
from registry.settings import Environment, Settings, SettingsError
from schema.app import create_app
from tests.factories import register
from tests.helpers import Api

VIEWER = "{ viewer { role } }"


def production(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, environment=Environment.PRODUCTION, **changes)


@pytest.fixture
def prod(clean_db: Settings) -> Iterator[Api]:
    with TestClient(create_app(production(clean_db))) as client:
        yield Api(client)


@pytest.fixture
def token(prod: Api) -> str:
    return prod.token("admin")


def post(api: Api, token: str, body: Any, **kwargs: Any) -> Any:
    return api.client.post(
        "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}, **kwargs
    )


def errors(api: Api, token: str, query: str, **variables: Any) -> list[dict[str, Any]]:
    answer = api.raw(query, token, **variables)
    assert "errors" in answer, answer
    found: list[dict[str, Any]] = answer["errors"]
    return found


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { types { name } } }",
        '{ __type(name: "Professional") { fields { name } } }',
        "{ viewer { role } a: __schema { queryType { name } } }",
    ],
)
def test_introspection_is_off(prod: Api, token: str, query: str) -> None:
    answer = prod.raw(query, token)
    assert answer.get("data") is None
    assert "introspection has been disabled" in answer["errors"][0]["message"]


def test_no_field_suggestions(prod: Api, token: str) -> None:
    message = errors(prod, token, "{ professionals { edges { node { familyNam } } } }")[0][
        "message"
    ]
    assert message == "Cannot query field 'familyNam' on type 'Professional'."


def test_graphiql_is_not_served_and_get_is_refused(prod: Api, token: str) -> None:
    page = prod.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 405
    assert "graphiql" not in page.text.lower()
    query = prod.client.get(
        "/graphql", params={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
    )
    assert (query.status_code, query.json()) == (405, {"error": "use POST with a JSON body"})


def test_development_serves_graphiql_to_a_browser(api: Api) -> None:
    page = api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


def _nested(depth: int) -> str:
    inner = "familyName"
    for _ in range(depth):
        inner = f"qualifications {{ professional {{ {inner} }} }}"
    return "query($id: ID!) { professional(id: $id) { " + inner + " } }"


def test_depth_limit(prod: Api, token: str) -> None:
    message = errors(prod, token, _nested(6), id="UHJvZmVzc2lvbmFsOjE=")[0]["message"]
    assert message == "'anonymous' exceeds maximum operation depth of 12"


def test_alias_limit(prod: Api, token: str) -> None:
    query = "{ " + " ".join(f"a{i}: viewer {{ role }}" for i in range(31)) + " }"
    assert errors(prod, token, query)[0]["message"] == "31 aliases found. Allowed: 30"


def test_a_repeated_document_is_validated_once(prod: Api, token: str) -> None:
    """The depth, alias and introspection rules are the same objects on every request, so
    validation (all those rules) is cached per document (strawberry issue #4635)."""
    validate: Any = _get_validate_cache(prod.state.settings.parser_cache_size)  # an lru_cache
    query = "{ viewer { role } shortages(first: 1) { totalCount } }"
    prod.gql(query, token)
    before = validate.cache_info()
    prod.gql(query, token)
    after = validate.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)


def test_token_limit(prod: Api, token: str) -> None:
    query = "{ " + " ".join("viewer { role }" for _ in range(600)) + " }"
    assert errors(prod, token, query)[0]["message"] == (
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted."
    )


def test_directive_limit(prod: Api, token: str) -> None:
    query = "{ viewer { " + "... @include(if: true) { role } " * 21 + "} }"
    assert errors(prod, token, query)[0]["message"] == "more than 20 directives in one document"


def test_circular_fragments_are_refused(prod: Api, token: str) -> None:
    query = """query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"""
    assert "Cannot spread fragment 'A' within itself" in errors(prod, token, query)[0]["message"]


def test_huge_first_is_a_typed_input_error(prod: Api, token: str) -> None:
    error = errors(prod, token, "{ professionals(first: 1000000) { totalCount } }")[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["issues"] == [
        {"field": "first", "code": "out_of_range", "message": "first must be between 1 and 100"}
    ]


def test_batched_operations_are_refused(prod: Api, token: str) -> None:
    answer = post(prod, token, [{"query": VIEWER}, {"query": VIEWER}])
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "batched operations are not accepted: send one at a time"},
    )


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "",
    ],
)
def test_only_json_bodies_are_accepted(prod: Api, token: str, content_type: str) -> None:
    answer = prod.client.post(
        "/graphql",
        content=b'{"query": "{ viewer { role } }"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )
    assert (answer.status_code, answer.json()) == (
        415,
        {"error": "the body must be application/json"},
    )


def test_oversize_bodies_are_refused_with_or_without_a_length(prod: Api, token: str) -> None:
    big = b'{"query": "{ viewer { role } }", "x": "' + b"a" * (300 * 1024) + b'"}'
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    declared = prod.client.post("/graphql", content=big, headers=headers)
    assert (declared.status_code, declared.json()) == (
        413,
        {"error": "request body over 262144 bytes"},
    )

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 16 * 1024):
            yield big[start : start + 16 * 1024]

    streamed = prod.client.post("/graphql", content=chunks(), headers=headers)
    assert streamed.status_code == 413


def test_unexpected_exceptions_are_masked(
    prod: Api, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(prod, token, familyName="Haddad")

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError(
            "SELECT birth_date FROM professionals WHERE family_name='Haddad' "
            "(/srv/registry/registry/professionals/search.py)"
        )

    monkeypatch.setattr(search, "search", broken)
    answer = prod.raw("{ professionals { totalCount } }", token)
    assert answer["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["professionals"],
        }
    ]
    text = str(answer)
    for leak in ("SELECT", "Haddad", "/srv", "search.py", "RuntimeError"):
        assert leak not in text


def test_a_lost_database_is_reported_as_unavailable(
    prod: Api, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(*_: object, **__: object) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(search, "search", down)
    error = errors(prod, token, "{ professionals { totalCount } }")[0]
    assert error["extensions"] == {"code": "UNAVAILABLE"}
    assert error["message"] == "service unavailable: the database cannot be reached; retry later"


def test_typed_domain_errors_stay_readable(prod: Api, token: str) -> None:
    answer = prod.raw(
        """mutation { registerProfessional(input: {familyName: "", givenNames: "A",
        birthDate: "1990-01-01", sex: FEMALE, birthCountry: "XX", residenceCountry: "DE",
        protectionStatus: REFUGEE}) { __typename ... on ValidationFailed {
        issues { field code } } } }""",
        token,
    )
    issues = answer["data"]["registerProfessional"]["issues"]
    assert {"field": "input.birthCountry", "code": "unknown_country"} in issues
    assert {"field": "input.familyName", "code": "required"} in issues


def test_rate_limit_per_token(clean_db: Settings) -> None:
    with TestClient(create_app(production(clean_db, rate_limit="3/minute"))) as client:
        api = Api(client)
        first, second = api.token("admin"), api.token("admin")
        answers = [post(api, first, {"query": VIEWER}).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        limited = post(api, first, {"query": VIEWER})
        assert limited.json() == {"error": "rate limit reached"}
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert post(api, second, {"query": VIEWER}).status_code == 200  # per token


def test_a_slow_request_is_cancelled_at_the_deadline(
    clean_db: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(*_: object, **__: object) -> None:
        await asyncio.sleep(5)

    monkeypatch.setattr(search, "search", slow)
    settings = production(clean_db, request_timeout_seconds=0.3)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        answer = post(api, api.token("admin"), {"query": "{ professionals { totalCount } }"})
    assert (answer.status_code, answer.json()) == (
        503,
        {"error": "the request took too long and was cancelled; retry later"},
    )


def test_logs_hold_no_token_and_no_personal_data(
    prod: Api, token: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    person = register(
        prod, token, familyName="Kovalenko", givenNames="Oksana", birthDate="1979-02-03"
    )
    prod.raw('{ professionals(filter: {name: "Kovalenko"}) { totalCount } }', token)
    prod.raw(
        """mutation { registerProfessional(input: {familyName: "Kovalenko", givenNames: "Oksana",
        birthDate: "2999-02-03", sex: FEMALE, birthCountry: "UA", residenceCountry: "DE",
        protectionStatus: REFUGEE}) { __typename } }""",
        token,
    )
    post(prod, "rgt_not-a-real-token-Kovalenko", {"query": VIEWER})

    detail = f"{person['familyName']} born 1979-02-03"

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError(detail)  # the message is data; only type, path and frames are logged

    monkeypatch.setattr(search, "search", broken)
    prod.raw("{ professionals { totalCount } }", token)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert logged  # the unexpected error was logged
    for secret in (token, token[4:], "Kovalenko", "Oksana", "1979-02-03", person["id"]):
        assert secret not in logged


def test_a_lost_database_at_the_door_is_a_503(
    prod: Api, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(*_: object, **__: object) -> None:
        raise OperationalError("SELECT", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(schema.auth, "authenticate", down)
    answer = post(prod, token, {"query": VIEWER})
    assert (answer.status_code, answer.json()) == (
        503,
        {"error": "service unavailable: the database cannot be reached; retry later"},
    )
    assert answer.headers["Retry-After"] == "5"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REGISTRY_RATE_LIMIT", "lots", "expected a rate such as 600/minute"),
        ("REGISTRY_REQUEST_TIMEOUT", "-1", "must be positive"),
    ],
)
def test_limits_are_validated_at_start_up(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({variable: value})
