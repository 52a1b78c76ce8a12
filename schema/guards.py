"""What stands in front of GraphQL: method and content type (CSRF), body size, bearer
token, per-token rate limit, and a per-request deadline. Each refusal is a small JSON body
with a precise status; none of them reaches a resolver."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

import limits
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry.auth.principal import Principal
from registry.settings import Settings

log = logging.getLogger("registry.guard")

UNAVAILABLE = "service unavailable: the database cannot be reached; retry later"


def is_unavailable(exc: BaseException | None) -> bool:
    """A failure of the database connection rather than of the request (refused or lost
    connection, pool or statement timeout, a locked SQLite file): the caller should retry,
    and the transaction did not commit."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError))
    # ConnectionError and TimeoutError are OSErrors too.
    return isinstance(exc, (PoolTimeoutError, OSError))


def refusal(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, counted as it arrives: a chunked request has no Content-Length
    to check up front."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.item = limits.parse(settings.rate_limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage))

    def retry_after(self, principal: Principal) -> int | None:
        """None when the request may go ahead, else the seconds to wait."""
        key = str(principal.token_id or principal.role.value)
        if self.limiter.hit(self.item, key):
            return None
        reset = self.limiter.get_window_stats(self.item, key).reset_time
        return max(1, math.ceil(reset - time.time()))


class Guard:
    """Wraps an ASGI app that takes an authenticated JSON POST."""

    def __init__(
        self,
        settings: Settings,
        app: ASGIApp,
        authenticate: Callable[[Request], Awaitable[Principal | None]],
        unauthorised: Callable[[], Response],
        rate: RateLimiter,
        *,
        method: str = "POST",
        development_page: Callable[[], Response] | None = None,
    ) -> None:
        self.settings = settings
        self.app = app
        self.authenticate = authenticate
        self.unauthorised = unauthorised
        self.rate = rate  # shared by every guarded route: the limit is per token
        self.method = method
        self.development_page = development_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if (
            self.development_page is not None
            and request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
        ):
            await self.development_page()(scope, receive, send)
            return
        refused, body = await self._check(request, receive)
        if refused is not None:
            await refused(scope, receive, send)
            return
        await self._run(scope, body, send)

    async def _check(self, request: Request, receive: Receive) -> tuple[Response | None, bytes]:
        if request.method != self.method:
            # GET queries can be triggered cross-site by a link or an image.
            message = "use POST with a JSON body" if self.method == "POST" else "use GET"
            return refusal(405, message, Allow=self.method), b""
        body = b""
        if self.method == "POST":
            refused, body = await self._check_body(request, receive)
            if refused is not None:
                return refused, b""
        try:
            principal = await self.authenticate(request)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("authentication: database unavailable (%s)", type(exc).__name__)
            return refusal(503, UNAVAILABLE, **{"Retry-After": "5"}), b""
        if principal is None:
            return self.unauthorised(), b""
        wait = self.rate.retry_after(principal)
        if wait is not None:
            return refusal(429, "rate limit reached", **{"Retry-After": str(wait)}), b""
        request.state.principal = principal
        return None, body

    async def _check_body(
        self, request: Request, receive: Receive
    ) -> tuple[Response | None, bytes]:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            # Forms and text/plain are "simple" requests a browser sends cross-site
            # without a preflight: only JSON is accepted.
            return refusal(415, "the body must be application/json"), b""
        length = request.headers.get("content-length")
        limit = self.settings.max_body_bytes
        if length is not None and (not length.isdigit() or int(length) > limit):
            return refusal(413, f"request body over {limit} bytes"), b""
        try:
            body = await read_body(receive, limit)
        except BodyTooLarge:
            return refusal(413, f"request body over {limit} bytes"), b""
        if body.lstrip()[:1] == b"[":
            return refusal(400, "batched operations are not accepted: send one at a time"), b""
        return None, body

    async def _run(self, scope: Scope, body: bytes, send: Send) -> None:
        delivered = False
        started = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                # The body was read already; the app may still wait for a disconnect.
                await asyncio.Event().wait()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(self.settings.request_timeout_seconds):
                await self.app(scope, replay, tracking_send)
        except TimeoutError:
            log.warning("request over %.0f s: cancelled", self.settings.request_timeout_seconds)
            if not started:
                await refusal(503, "the request took too long and was cancelled; retry later")(
                    scope, replay, send
                )
