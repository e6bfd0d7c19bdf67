"""The bot's own credentials, through msal: client secret, certificate or managed identity.

IT departments differ in what they allow: a client secret (simple, but it expires and is a
password in a file), a certificate (the private key never leaves the server; Entra ID checks a
signed assertion), or a user-assigned managed identity (no secret at all on Azure). msal speaks
each of these to Entra ID; botbuilder installs it.

msal is synchronous (requests), so each fetch runs in a worker thread, and only when the
connector's `TokenCache` asks: that cache, on the event loop and with an injectable clock, is
the one cache of tokens. msal is given a cache that keeps nothing, or two caches with two
clocks would disagree about when a token is old.

`TEAMS_TOKEN_URL` names the token endpoint outright (a sovereign cloud's, or a test's on
127.0.0.1): msal's discovery of the authority is then answered from that setting instead of
from the network, and its token requests go there.
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import msal
import requests
from botframework.connector.auth import (
    CertificateServiceClientCredentialsFactory,
    ManagedIdentityServiceClientCredentialsFactory,
    ServiceClientCredentialsFactory,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from adapters.teams.settings import LOGIN_URL, TeamsSettings


class TokenError(Exception):
    """Entra ID (or the managed identity endpoint) gave no token; its own words are kept."""


class _Forgetful(msal.TokenCache):  # type: ignore[misc]
    """A cache that keeps nothing: `TokenCache` in connector.py is the cache (see above)."""

    def add(self, event: dict[str, Any], **kwargs: Any) -> None:
        return None


class _ConfiguredEndpoint(requests.Session):
    """msal's HTTP client when TEAMS_TOKEN_URL is set: discovery answered, tokens sent there."""

    def __init__(self, authority: str, token_url: str) -> None:
        super().__init__()
        self.discovery = authority + "/v2.0/.well-known/openid-configuration"
        self.standard = authority + "/oauth2/v2.0/token"
        self.token_url = token_url

    def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if url != self.discovery:
            return super().get(url, **kwargs)
        answer = requests.Response()
        answer.status_code = 200
        answer.headers["Content-Type"] = "application/json"
        answer._content = json.dumps(
            {
                "issuer": self.standard.rsplit("/oauth2/", 1)[0] + "/v2.0",
                "token_endpoint": self.standard,
                "authorization_endpoint": self.standard.replace("/token", "/authorize"),
            }
        ).encode()
        return answer

    def post(self, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        return super().post(self.token_url if url == self.standard else url, *args, **kwargs)


def certificate_credential(settings: TeamsSettings) -> dict[str, str]:
    """msal's certificate credential from a PEM file holding the private key and certificate.

    The thumbprint is the certificate's SHA-1 fingerprint (as Entra ID shows it) unless
    MICROSOFT_APP_CERTIFICATE_THUMBPRINT gives it; the public certificate is sent along, so a
    certificate renewed in Entra ID by subject name and issuer keeps working.
    """
    assert settings.certificate_path is not None
    pem = Path(settings.certificate_path).read_bytes()
    credential = {"private_key": pem.decode()}
    if settings.certificate_password.get_secret_value():
        credential["passphrase"] = settings.certificate_password.get_secret_value()
    certificate = x509.load_pem_x509_certificate(pem) if b"CERTIFICATE-----" in pem else None
    thumbprint = settings.certificate_thumbprint
    if not thumbprint and certificate is not None:
        thumbprint = certificate.fingerprint(hashes.SHA1()).hex()  # Entra's own name for it
    credential["thumbprint"] = thumbprint.replace(":", "").lower()
    if certificate is not None:
        credential["public_certificate"] = pem.decode()
    return credential


class BotTokens:
    """Fetches the bot's access token for an audience with the configured kind of credential."""

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        self._client: msal.ConfidentialClientApplication | msal.ManagedIdentityClient | None = None
        self._building = threading.Lock()

    @property
    def kind(self) -> str:
        """`managed identity`, `certificate` or `secret`: what `samverkan check` shows."""
        if self.settings.app_type == "UserAssignedMSI":
            return "managed identity"
        return "certificate" if self.settings.certificate_path else "secret"

    async def fetch(self, audience: str) -> tuple[str, float]:
        """(access token, seconds it is valid) from Entra ID, off the event loop."""
        return await asyncio.to_thread(self._fetch, audience)

    def _fetch(self, audience: str) -> tuple[str, float]:
        client = self._built()
        if isinstance(client, msal.ManagedIdentityClient):
            result = client.acquire_token_for_client(resource=audience.rstrip("/"))
        else:
            result = client.acquire_token_for_client(scopes=[audience.rstrip("/") + "/.default"])
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            error = result.get("error", "no token") if isinstance(result, dict) else "no token"
            detail = result.get("error_description", "") if isinstance(result, dict) else ""
            raise TokenError(f"{error}: {detail}".strip(": "))
        return str(token), float(result.get("expires_in", 3600))

    def _built(self) -> msal.ConfidentialClientApplication | msal.ManagedIdentityClient:
        with self._building:  # msal's discovery happens here, once
            if self._client is None:
                self._client = self._build()
            return self._client

    def _build(self) -> msal.ConfidentialClientApplication | msal.ManagedIdentityClient:
        settings = self.settings
        if settings.app_type == "UserAssignedMSI":
            return msal.ManagedIdentityClient(
                msal.UserAssignedManagedIdentity(client_id=settings.app_id),
                http_client=requests.Session(),
                token_cache=_Forgetful(),
            )
        tenant = settings.tenant_id if settings.app_type == "SingleTenant" else ""
        authority = f"{LOGIN_URL}/{tenant or 'botframework.com'}"
        credential: str | dict[str, str] = (
            certificate_credential(settings)
            if settings.certificate_path
            else settings.app_password.get_secret_value()
        )
        http: requests.Session = (
            _ConfiguredEndpoint(authority, settings.token_url)
            if settings.token_url
            else requests.Session()
        )
        return msal.ConfidentialClientApplication(
            settings.app_id,
            client_credential=credential,
            authority=authority,
            http_client=http,
            token_cache=_Forgetful(),
            instance_discovery=not settings.token_url,
        )


def credentials_factory(settings: TeamsSettings) -> ServiceClientCredentialsFactory | None:
    """botbuilder's own credentials (its user token client) for a certificate or an identity.

    None: botbuilder reads the app id and secret from the configuration, as before.
    """
    if settings.local_mode:
        return None
    if settings.app_type == "UserAssignedMSI":
        return ManagedIdentityServiceClientCredentialsFactory(settings.app_id)
    if settings.certificate_path:
        credential = certificate_credential(settings)
        return CertificateServiceClientCredentialsFactory(
            credential["thumbprint"],
            credential["private_key"],
            settings.app_id,
            settings.tenant_id or None,
            credential.get("public_certificate"),
        )
    return None
