"""Where `samverkan serve` listens: --host/--port, SAMVERKAN_HOST/SAMVERKAN_PORT, and one clear
line (exit code 2, no traceback) when the port cannot be had. Real subprocesses, real sockets."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import main
from tests.deploy.helpers import free_port

SAMVERKAN = Path(sys.executable).with_name("samverkan")


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """A migrated SQLite database and no platform configured; run from an empty directory."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    upgraded = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert upgraded.exit_code == 0, upgraded.output
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("SAMVERKAN_", "SLACK_"))}
    kept = {k: v for k, v in kept.items() if not k.startswith(("MICROSOFT_", "TEAMS_"))}
    return {**kept, "DATABASE_URL": url, "SAMVERKAN_LOCALE": "sv"}


@pytest.fixture
def taken() -> Iterator[int]:
    """A port another program listens on."""
    with socket.create_server(("127.0.0.1", 0)) as other:
        yield other.getsockname()[1]


def serve(
    tmp_path: Path, environment: dict[str, str], *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SAMVERKAN), "serve", *args],
        cwd=tmp_path,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "lyssnar" not in result.stdout
    (line,) = result.stderr.splitlines()
    for text in expected:
        assert text in line, line
    return line


def test_a_taken_port_is_named_with_the_ways_to_choose_another(
    tmp_path: Path, environment: dict[str, str], taken: int
) -> None:
    result = serve(tmp_path, environment, "--port", str(taken))

    line = assert_one_clear_line(result, f"Port {taken} på 127.0.0.1 används redan")
    for way in ("--port", "SAMVERKAN_PORT=", "make run PORT="):
        assert way in line


def test_a_taken_port_from_the_environment_in_english(
    tmp_path: Path, environment: dict[str, str], taken: int
) -> None:
    result = serve(tmp_path, environment, SAMVERKAN_PORT=str(taken), SAMVERKAN_LOCALE="en")

    assert_one_clear_line(result, f"Port {taken} on 127.0.0.1 is already used", "--port")


def test_an_address_not_on_this_machine_is_one_line(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    result = serve(tmp_path, environment, "--host", "192.0.2.1", "--port", str(free_port()))

    assert_one_clear_line(result, "192.0.2.1", "--host", "SAMVERKAN_HOST")


def _healthz(port: int, server: subprocess.Popen[str]) -> dict[str, str]:
    """/healthz once the server listens (bounded wait)."""
    for _attempt in range(200):
        assert server.poll() is None, server.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                result: dict[str, str] = json.load(answer)
                return result
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port}")


@pytest.mark.parametrize("by_option", [False, True])
def test_it_listens_where_the_environment_or_the_option_says(
    tmp_path: Path, environment: dict[str, str], taken: int, by_option: bool
) -> None:
    port = free_port()
    env = {"SAMVERKAN_HOST": "127.0.0.1", "SAMVERKAN_PORT": str(taken if by_option else port)}
    args = ["--port", str(port)] if by_option else []  # the option wins over the environment
    server = subprocess.Popen(
        [str(SAMVERKAN), "serve", *args],
        cwd=tmp_path,
        env={**environment, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _healthz(port, server) == {"status": "ok"}
    finally:
        server.send_signal(signal.SIGINT)
        output, _errors = server.communicate(timeout=60)
    assert f"lyssnar på http://127.0.0.1:{port} " in output
