"""The nginx example in deploy/nginx/ (where nginx is installed): TLS in front, only the public
paths passed on, /metrics and /readyz kept inside.

The example is run as written, with only the machine-specific parts replaced: the listen
ports, the certificate (a self-signed one made here) and the upstream, which is a small
recording backend standing in for `samverkan serve` so the test sees exactly which requests
the proxy let through.
"""

from __future__ import annotations

import asyncio
import datetime
import re
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.deploy.helpers import DEPLOY, free_port

HOST = "bot.example.org"


@dataclass
class Ports:
    http: int = field(default_factory=free_port)
    https: int = field(default_factory=free_port)
    backend: int = field(default_factory=free_port)


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    chain, private = directory / "fullchain.pem", directory / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return chain, private


def _site(directory: Path, ports: Ports) -> Path:
    """The example with this machine's ports, certificate and backend put in."""
    text = (DEPLOY / "nginx" / "samverkan.conf").read_text(encoding="utf-8")
    chain, private = _certificate(directory)
    replacements = [
        (r"(?m)^\s*server 127\.0\.0\.1:3979;\n", ""),
        (r"server 127\.0\.0\.1:3978;", f"server 127.0.0.1:{ports.backend};"),
        (r"(?m)^\s*listen \[::\]:\d+( ssl)?;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{ports.http};"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{ports.https} ssl;"),
        (r"/etc/ssl/samverkan/fullchain\.pem", str(chain)),
        (r"/etc/ssl/samverkan/privkey\.pem", str(private)),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, f"the example no longer has {pattern!r}"
    site = directory / "samverkan.conf"
    site.write_text(text, encoding="utf-8")
    main = directory / "nginx.conf"
    main.write_text(
        f"pid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log;\n"
        "events {}\n"
        "http {\n"
        "  access_log off;\n"
        f"  client_body_temp_path {directory}/body;\n"
        f"  proxy_temp_path {directory}/proxy;\n"
        f"  include {site};\n"
        "}\n",
        encoding="utf-8",
    )
    return main


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Ports]:
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if binary is None:
        pytest.skip("nginx is not installed on this machine")
    ports = Ports()
    config = _site(tmp_path, ports)
    checked = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield ports
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
async def backend(nginx: Ports) -> AsyncIterator[list[str]]:
    """Stands in for `samverkan serve`: records each request the proxy passes on."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(f"{request.method} {request.path_qs}")
        return web.Response(text="from the bot")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", nginx.backend).start()
    try:
        yield seen
    finally:
        await runner.cleanup()


async def _ask(port: int, method: str, path: str, scheme: str = "https") -> tuple[int, str]:
    """One request through the proxy; waits (bounded) for nginx to start listening."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    url = f"{scheme}://127.0.0.1:{port}{path}"
    async with aiohttp.ClientSession() as session:
        for _attempt in range(100):
            try:
                async with session.request(
                    method,
                    url,
                    headers={"Host": HOST},
                    ssl=context if scheme == "https" else False,
                    allow_redirects=False,
                ) as response:
                    location = response.headers.get("Location", "")
                    return response.status, location or await response.text()
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"nginx never answered on port {port}")


PUBLIC = [
    ("POST", "/slack/events"),
    ("GET", "/slack/install"),
    ("GET", "/slack/oauth_redirect?code=abc&state=xyz"),
    ("POST", "/api/messages"),
    ("GET", "/calendar/bra.ics?key=k3y"),
    ("GET", "/privacy"),
    ("GET", "/terms?lang=en"),
]
INTERNAL = [
    ("GET", "/metrics"),
    ("GET", "/readyz"),
    ("GET", "/healthz"),
    ("GET", "/"),
    ("POST", "/api/messages/extra"),
    ("POST", "/slackevents"),
    ("GET", "/privacy.html"),
]


async def test_public_paths_pass_and_internal_ones_stay_inside(
    nginx: Ports, backend: list[str]
) -> None:
    for method, path in PUBLIC:
        assert await _ask(nginx.https, method, path) == (200, "from the bot"), path
    for method, path in INTERNAL:
        status, _body = await _ask(nginx.https, method, path)
        assert status == 404, path

    assert backend == [f"{method} {path}" for method, path in PUBLIC]


async def test_plain_http_is_sent_to_https(nginx: Ports, backend: list[str]) -> None:
    status, location = await _ask(nginx.http, "GET", "/slack/install", scheme="http")

    assert status == 301
    assert location == f"https://{HOST}/slack/install"
    assert backend == []
