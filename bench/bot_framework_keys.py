"""Microsoft's side of Bot Framework authentication, faked on 127.0.0.1 (issue 19).

Teams signs every request to a bot with one of the keys Bot Framework publishes (OpenID
metadata → JWKS, each key endorsed for the channels it may sign for), and a bot that answers
fetches its own token from Entra ID. Here both ends are one small aiohttp app holding RSA keys
generated at start, so the benchmark and the tests can run the bot and stock botbuilder with
token validation on, and no request leaves this machine:

- `GET /v1/.well-known/openidconfiguration` (Bot Framework's own path) and
  `GET /.well-known/openid-configuration`: the metadata, naming `jwks_uri`;
- `GET /v1/.well-known/keys`: the JWKS, each key with `endorsements: ["msteams"]`;
- `GET /{tenant}/v2.0/.well-known/openid-configuration`, `POST /{tenant}/oauth2/v2.0/token`:
  just enough of Entra ID for msal's client-credentials grant (the bot's outbound token).

`channel_header()` gives the header Bot Framework would send now: one token per service URL,
re-signed only when it nears expiry, as the service reuses its token. `token()` signs any
variant (another key, audience, lifetime) for tests. `rotate()` publishes a new key.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import jwt
import requests
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"
LOGIN_HOST = "https://login.microsoftonline.com"
LIFETIME = 3600  # Bot Framework's tokens last an hour
RENEW_BEFORE = 300  # the service signs a new one when less than this is left

_kids = itertools.count(1)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class BotFrameworkKeys:
    """The published signing keys (newest first), what was asked for, and the tokens signed."""

    app_id: str
    keys: list[tuple[str, rsa.RSAPrivateKey]] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    url: str = ""  # http://127.0.0.1:port once started
    _runner: web.AppRunner | None = None
    _current: dict[str, tuple[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.keys:
            self.rotate()

    @property
    def metadata_url(self) -> str:
        return self.url + METADATA_PATH

    @property
    def token_url(self) -> str:
        return self.url + "/botframework.com/oauth2/v2.0/token"

    def rotate(self, keep_old: bool = True) -> str:
        """Publish a new key, first in the set; the old ones stay unless told otherwise."""
        kid = f"bench-key-{next(_kids)}"
        self.keys = [(kid, new_key()), *(self.keys if keep_old else [])]
        self._current.clear()
        return kid

    def jwks(self) -> dict[str, Any]:
        published = []
        for kid, key in self.keys:
            jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
            jwk.update(kid=kid, use="sig", alg="RS256", endorsements=["msteams"])
            published.append(jwk)
        return {"keys": published}

    def token(
        self,
        service_url: str,
        *,
        audience: str | None = None,
        lifetime: int = LIFETIME,
        kid: str | None = None,
        key: rsa.RSAPrivateKey | None = None,
        issuer: str = ISSUER,
    ) -> str:
        """A channel token as Bot Framework signs it (RS256), or any variant of one."""
        now = int(time.time())
        current_kid, current_key = self.keys[0]
        claims = {
            "iss": issuer,
            "aud": self.app_id if audience is None else audience,
            "serviceurl": service_url,
            "nbf": min(now, now + lifetime) - 300,
            "exp": now + lifetime,
        }
        headers = {"kid": kid or current_kid, "typ": "JWT"}
        return jwt.encode(claims, key or current_key, algorithm="RS256", headers=headers)

    def channel_header(self, service_url: str) -> str:
        """`Authorization` as the service sends it now: its token, renewed near expiry."""
        found = self._current.get(service_url)
        if found is None or found[1] - time.time() < RENEW_BEFORE:
            found = (self.token(service_url), time.time() + LIFETIME)
            self._current[service_url] = found
        return "Bearer " + found[0]

    # ----- the HTTP side ----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(METADATA_PATH, self._metadata)
        app.router.add_get("/.well-known/openid-configuration", self._metadata)
        app.router.add_get(KEYS_PATH, self._keys)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._tenant)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._bot_token)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.url = f"http://{host}:{server.sockets[0].getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _metadata(self, request: web.Request) -> web.Response:
        self.requests["metadata"] += 1
        base = f"http://{request.host}"
        return web.json_response(
            {
                "issuer": ISSUER,
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": base + KEYS_PATH,
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, _request: web.Request) -> web.Response:
        self.requests["keys"] += 1
        return web.json_response(self.jwks())

    async def _tenant(self, request: web.Request) -> web.Response:
        """Entra ID's discovery document for a tenant, as msal reads it before a token."""
        self.requests["tenant discovery"] += 1
        authority = f"{LOGIN_HOST}/{request.match_info['tenant']}"
        return web.json_response(
            {
                "issuer": authority + "/v2.0",
                "authorization_endpoint": authority + "/oauth2/v2.0/authorize",
                "token_endpoint": authority + "/oauth2/v2.0/token",
            }
        )

    async def _bot_token(self, request: web.Request) -> web.Response:
        """The bot's own token for the connector (client credentials): any secret will do."""
        self.requests["bot token"] += 1
        form = await request.post()
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != self.app_id:
            return web.json_response({"error": "invalid_client"}, status=401)
        token = self.token("", audience=ISSUER)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": LIFETIME, "access_token": token}
        )


class ToFakeLogin(requests.Session):
    """msal's HTTP client for stock botbuilder: Entra ID's host answered by the fake.

    botbuilder builds msal itself with the public login host and offers no setting for it,
    so the one request session msal is given sends what it meant for that host here.
    """

    def __init__(self, fake_url: str) -> None:
        super().__init__()
        self.fake_url = fake_url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(url, str) and url.startswith(LOGIN_HOST):
            url = self.fake_url + url[len(LOGIN_HOST) :]
        return super().request(method, url, *args, **kwargs)


def stock_credentials_factory(app_id: str, password: str, fake_url: str) -> Any:
    """botbuilder's own password credentials, with msal's requests sent to the fake.

    Everything else stays stock: botbuilder still makes new credentials (and so a new msal
    application, which discovers the tenant and fetches a token) for every turn.
    """
    import msal
    from botframework.connector.auth import PasswordServiceClientCredentialFactory

    class ToFake(PasswordServiceClientCredentialFactory):  # type: ignore[misc]
        async def create_credentials(self, *args: Any, **kwargs: Any) -> Any:
            credentials = await super().create_credentials(*args, **kwargs)
            if getattr(credentials, "microsoft_app_id", ""):
                credentials.app = msal.ConfidentialClientApplication(
                    client_id=credentials.microsoft_app_id,
                    client_credential=credentials.microsoft_app_password,
                    authority=credentials.oauth_endpoint,
                    http_client=ToFakeLogin(fake_url),
                )
            return credentials

    return ToFake(app_id, password)
