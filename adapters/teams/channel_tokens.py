"""Bot Framework channel tokens, checked as Microsoft specifies, keeping what the protocol allows.

Every request from Teams carries a JWT signed (RS256) by one of the keys Bot Framework
publishes through its OpenID metadata. botbuilder checks it from scratch on every request:
it fetches the keys with blocking `requests` calls inside the event loop, rebuilds the public
key from its JWK each time and decodes the token three times over. Here:

- the keys are fetched over the adapter's aiohttp session, parsed once and kept by `kid`
  until the set changes: a token naming an unknown kid makes the set be fetched again, at
  most once per `refetch_floor` (forged kids must not turn the bot into a load generator
  against Microsoft); the whole set is refreshed daily, as botbuilder does;
- a token that passed every check is remembered until its own `exp`, keyed by the token
  string itself, in a bounded cache: the same bytes signed by the same key check the same
  way until they expire. What depends on the request (the activity's serviceUrl, the key's
  endorsement of its channel) is checked again every time. A token not seen before is always
  checked in full, signature included.

The checks (Microsoft's "Authenticate requests from the Bot Connector service"): Bearer
scheme; RS256; a published key; issuer https://api.botframework.com; audience the bot's app
id; within its validity (5 minutes' clock skew); the key endorsed for the activity's channel;
the `serviceurl` claim equal to the activity's serviceUrl. Only channel tokens are accepted:
that is what Teams sends (the Emulator runs against local mode).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from cachetools import TLRUCache

ISSUER = "https://api.botframework.com"
METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
ALGORITHMS = ["RS256"]
LEEWAY = 300  # seconds of clock skew Microsoft allows
REFRESH = 24 * 3600.0  # the whole key set is fetched again after this
REFETCH_FLOOR = 300.0  # an unknown kid refetches the set at most this often
REMEMBERED = 4096  # verified tokens kept (Teams reuses one per service URL for an hour)


class TokenRefused(PermissionError):
    """The request's token fails a check; the reason is for the log, never for the caller."""


@dataclass(frozen=True)
class SigningKey:
    key: Any  # cryptography's RSA public key, as PyJWK parsed it
    endorsements: frozenset[str]


@dataclass(frozen=True)
class Verified:
    claims: dict[str, Any]
    expires: float  # the token's exp, epoch seconds
    endorsements: frozenset[str]


class SigningKeys:
    """Bot Framework's published keys by kid, fetched when needed and no more often."""

    def __init__(
        self,
        metadata_url: str,
        session: Callable[[], aiohttp.ClientSession],
        *,
        now: Callable[[], float] = time.monotonic,
        refetch_floor: float = REFETCH_FLOOR,
        refresh: float = REFRESH,
    ) -> None:
        self.metadata_url = metadata_url
        self.session = session
        self.now = now
        self.refetch_floor = refetch_floor
        self.refresh = refresh
        self.keys: dict[str, SigningKey] = {}
        self.fetches = 0
        self._fetched_at: float | None = None  # last attempt, successful or not
        self._generation = 0
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> SigningKey | None:
        """The key for a kid; the set is fetched first when stale, or once more if unknown."""
        if self._fetched_at is None or self.now() - self._fetched_at >= self.refresh:
            await self._fetch(self._generation)
        found = self.keys.get(kid)
        if found is None and self.now() - (self._fetched_at or 0.0) >= self.refetch_floor:
            await self._fetch(self._generation)
            found = self.keys.get(kid)
        return found

    async def _fetch(self, seen: int) -> None:
        async with self._lock:  # one fetch for all the requests that wanted it
            if self._generation != seen:
                return  # fetched while this request waited: that answer is the one to use
            self.fetches += 1
            try:
                self.keys = await self._fetched()
            finally:  # marked only once done, so requests meanwhile wait for it (see `get`)
                self._generation += 1
                self._fetched_at = self.now()

    async def _fetched(self) -> dict[str, SigningKey]:
        metadata = await self._json(self.metadata_url)
        jwks = await self._json(str(metadata["jwks_uri"]))
        keys = {}
        for jwk in jwks.get("keys", []):
            if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
                continue
            try:
                parsed = jwt.PyJWK(jwk, algorithm="RS256")
            except jwt.PyJWTError:
                continue  # a key of a kind we do not use: skipped, not fatal
            endorsements = frozenset(str(e) for e in jwk.get("endorsements") or [])
            keys[jwk["kid"]] = SigningKey(parsed.key, endorsements)
        return keys

    async def _json(self, url: str) -> dict[str, Any]:
        async with self.session().get(url, raise_for_status=True) as response:
            found = await response.json(content_type=None)
        if not isinstance(found, dict):
            raise TokenRefused(f"{url} did not answer a JSON object")
        return found


class ChannelTokens:
    """Checks the Authorization header of requests from the Bot Framework service."""

    def __init__(
        self,
        app_id: str,
        keys: SigningKeys,
        *,
        clock: Callable[[], float] = time.time,
        remembered: int = REMEMBERED,
    ) -> None:
        self.app_id = app_id
        self.keys = keys
        self.clock = clock
        self.signature_checks = 0
        self.remembered: TLRUCache[str, Verified] = TLRUCache(
            maxsize=remembered, ttu=lambda _token, verified, _now: verified.expires, timer=clock
        )

    async def check(
        self, header: str | None, channel_id: str | None, service_url: str | None
    ) -> dict[str, Any]:
        """The token's claims, or TokenRefused."""
        scheme, _, token = (header or "").partition(" ")
        if scheme != "Bearer" or not token:
            raise TokenRefused("no Bearer token")
        verified = self.remembered.get(token)
        if verified is None:
            verified = await self._verify(token)
            if verified.expires > self.clock():  # within the skew allowance: checked, not kept
                self.remembered[token] = verified
        if verified.endorsements and channel_id not in verified.endorsements:
            raise TokenRefused(f"signing key not endorsed for channel {channel_id!r}")
        if verified.claims.get("serviceurl") != service_url:
            raise TokenRefused("serviceurl claim differs from the activity's serviceUrl")
        return verified.claims

    async def _verify(self, token: str) -> Verified:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefused(f"not a JWT: {error}") from error
        if header.get("alg") not in ALGORITHMS:
            raise TokenRefused(f"algorithm {header.get('alg')!r} not allowed")
        kid = header.get("kid")
        key = await self.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise TokenRefused(f"no published signing key {kid!r}")
        self.signature_checks += 1
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                audience=self.app_id,
                issuer=ISSUER,
                leeway=LEEWAY,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise TokenRefused(f"{type(error).__name__}: {error}") from error
        return Verified(claims, float(claims["exp"]), key.endorsements)
