"""Bearer-token authentication for every HTTP route but /healthz."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse

from registry.auth.principal import Principal
from registry.auth.services import authenticate

if TYPE_CHECKING:
    from schema.app import AppState


async def request_principal(request: Request) -> Principal | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    state: AppState = request.app.state.registry
    async with state.session_factory() as session:
        return await authenticate(session, secret.strip())


def unauthorised() -> JSONResponse:
    return JSONResponse(
        {"error": "authentication required: send Authorization: Bearer <token>"},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="registry"'},
    )
