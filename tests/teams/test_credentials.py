"""The bot's own token through msal: a certificate, a managed identity, and Entra's refusals.

A fake token endpoint and a fake App Service identity endpoint on 127.0.0.1 stand for Entra ID;
msal itself builds and signs the requests. (The client secret runs through the same code in
test_pooled_connector.py, against the fake connector's token endpoint.)
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from adapters.teams.connector import TokenCache
from adapters.teams.credentials import BotTokens, TokenError
from adapters.teams.settings import TeamsSettings

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
AUDIENCE = "https://api.botframework.com"


class FakeEntra:
    """Entra ID's token endpoint and an App Service managed identity endpoint."""

    def __init__(self) -> None:
        self.token_forms: list[dict[str, str]] = []
        self.identity_calls: list[tuple[dict[str, str], dict[str, str]]] = []
        self.refuse = False
        self.url = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/token", self._token)
        app.router.add_get("/msi/token", self._identity)
        return app

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.token_forms.append(form)
        if self.refuse:
            return web.json_response(
                {"error": "invalid_client", "error_description": "AADSTS7000215: wrong secret"},
                status=401,
            )
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": "certificate-token"}
        )

    async def _identity(self, request: web.Request) -> web.Response:
        self.identity_calls.append((dict(request.query), dict(request.headers)))
        return web.json_response(
            {
                "access_token": "identity-token",
                "expires_on": str(int(time.time()) + 3600),
                "resource": request.query.get("resource", ""),
                "token_type": "Bearer",
            }
        )


@pytest.fixture
async def entra() -> AsyncIterator[FakeEntra]:
    fake = FakeEntra()
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("")).rstrip("/")
    yield fake
    await server.close()


def _certificate(folder: Path) -> tuple[Path, x509.Certificate]:
    """A private key and its self-signed certificate in one PEM file, as an admin exports it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "samverkansboten")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path = folder / "bot.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + certificate.public_bytes(serialization.Encoding.PEM)
    )
    return path, certificate


def _settings(**values: Any) -> TeamsSettings:
    return TeamsSettings(_env_file=None, MICROSOFT_APP_ID=APP_ID, **values)


async def test_a_certificate_signs_the_assertion_and_no_secret_is_sent(
    entra: FakeEntra, tmp_path: Path
) -> None:
    path, certificate = _certificate(tmp_path)
    settings = _settings(
        MICROSOFT_APP_CERTIFICATE_PATH=str(path),
        MICROSOFT_APP_TENANT_ID=TENANT,
        TEAMS_TOKEN_URL=entra.url + "/token",
    )
    assert settings.problems() == []
    tokens = BotTokens(settings)
    assert tokens.kind == "certificate"

    assert await tokens.fetch(AUDIENCE) == ("certificate-token", 3600.0)

    [form] = entra.token_forms
    assert "client_secret" not in form
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assertion = form["client_assertion"]
    claims = jwt.decode(
        assertion, certificate.public_key(), algorithms=["RS256", "PS256"], audience=None,
        options={"verify_aud": False},
    )  # fmt: skip
    assert claims["iss"] == claims["sub"] == APP_ID
    header = jwt.get_unverified_header(assertion)
    expected = base64.urlsafe_b64encode(certificate.fingerprint(hashes.SHA1())).rstrip(b"=")
    assert header["x5t"].rstrip("=") == expected.decode()  # the thumbprint Entra ID knows
    assert form["scope"] == AUDIENCE + "/.default"


async def test_a_user_assigned_managed_identity_needs_no_secret(
    entra: FakeEntra, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where App Service tells a process to ask for its identity's tokens.
    monkeypatch.setenv("IDENTITY_ENDPOINT", entra.url + "/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", "identity-header-secret")
    settings = _settings(MICROSOFT_APP_TYPE="UserAssignedMSI", MICROSOFT_APP_TENANT_ID=TENANT)
    assert settings.problems() == []
    tokens = BotTokens(settings)
    assert tokens.kind == "managed identity"

    token, lifetime = await tokens.fetch(AUDIENCE)

    assert token == "identity-token" and 3500 < lifetime <= 3600
    [(query, headers)] = entra.identity_calls
    assert query["resource"] == AUDIENCE and query["client_id"] == APP_ID
    assert headers["X-IDENTITY-HEADER"] == "identity-header-secret"


async def test_tokens_are_cached_until_near_expiry(
    entra: FakeEntra, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDENTITY_ENDPOINT", entra.url + "/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", "h")
    settings = _settings(MICROSOFT_APP_TYPE="UserAssignedMSI", MICROSOFT_APP_TENANT_ID=TENANT)
    now = [1000.0]
    cache = TokenCache(settings, session=lambda: None, now=lambda: now[0])  # type: ignore[arg-type, return-value]

    for _ in range(3):
        assert await cache.token(AUDIENCE) == "identity-token"
    assert len(entra.identity_calls) == 1

    now[0] += 3600  # past the token's lifetime
    await cache.token(AUDIENCE)
    assert len(entra.identity_calls) == 2


async def test_entras_refusal_is_an_error_with_its_own_words(entra: FakeEntra) -> None:
    entra.refuse = True
    settings = _settings(
        MICROSOFT_APP_PASSWORD="wrong",
        MICROSOFT_APP_TENANT_ID=TENANT,
        TEAMS_TOKEN_URL=entra.url + "/token",
    )
    with pytest.raises(TokenError, match="invalid_client: AADSTS7000215"):
        await BotTokens(settings).fetch(AUDIENCE)
    assert entra.token_forms[0]["client_secret"] == "wrong"


@pytest.mark.parametrize(
    ("values", "variable", "key"),
    [
        (
            {"MICROSOFT_APP_TYPE": "UserAssignedMSI"},
            "MICROSOFT_APP_TENANT_ID",
            "config.missing_beside",
        ),
        (
            {"MICROSOFT_APP_TENANT_ID": TENANT},
            "MICROSOFT_APP_PASSWORD",
            "config.missing_credential",
        ),
        (
            {"MICROSOFT_APP_TENANT_ID": TENANT, "MICROSOFT_APP_CERTIFICATE_PATH": "/no/such.pem"},
            "MICROSOFT_APP_CERTIFICATE_PATH",
            "config.file_missing",
        ),
        (
            {
                "MICROSOFT_APP_TENANT_ID": TENANT,
                "MICROSOFT_APP_PASSWORD": "p",
                "MICROSOFT_APP_CERTIFICATE_PATH": "/no/such.pem",
            },
            "MICROSOFT_APP_CERTIFICATE_PATH",
            "config.one_credential",
        ),
    ],
)
def test_credentials_that_cannot_work_are_named(
    values: dict[str, str], variable: str, key: str
) -> None:
    [problem] = _settings(**values).problems()
    assert (problem.variable, problem.key) == (variable, key)


def test_a_certificate_file_without_its_key_is_refused(tmp_path: Path) -> None:
    path, certificate = _certificate(tmp_path)
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    settings = _settings(MICROSOFT_APP_TENANT_ID=TENANT, MICROSOFT_APP_CERTIFICATE_PATH=str(path))
    [problem] = settings.problems()
    assert problem.key == "config.no_private_key"
