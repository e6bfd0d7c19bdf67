"""The container recipe (deploy/Containerfile) builds, starts and answers (where an engine runs).

Skipped, with the reason, when neither docker nor podman answers `info`, when the base image
cannot be had (no registry access: set SAMVERKAN_TEST_CONTAINER_BASE to a local image with
Python 3.11, `python3 -m venv`, `useradd` and `update-ca-certificates`), or when the engine
cannot start a container at all. Once those hold, every failure is the recipe's.

The build context is a copy of the sources; the machine's CA bundle goes into its
deploy/ca-certificates/ so that `pip install` works behind a TLS-inspecting proxy, exactly as
the Containerfile tells an IT department to do.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.helpers import copy_sources, free_port

DEFAULT_BASE = "docker.io/library/python:3.11-slim-bookworm"
INSIDE_PORT = 8080  # not the default 3978: the port must come from SAMVERKAN_PORT


def _engine() -> str:
    reasons = []
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path is None:
            continue
        answer = subprocess.run([path, "info"], capture_output=True, text=True, timeout=120)
        if answer.returncode == 0:
            return path
        reasons.append(f"{name} info: {answer.stderr.strip().splitlines()[-1:]}")
    pytest.skip("no container engine answers here: " + ("; ".join(reasons) or "none installed"))


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)


def _ensure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The engine and the image built from a copy of the sources; removed afterwards."""
    engine = _engine()
    base = os.environ.get("SAMVERKAN_TEST_CONTAINER_BASE", DEFAULT_BASE)
    if _run(engine, "image", "inspect", base).returncode != 0:
        pulled = _run(engine, "pull", base, timeout=600)
        if pulled.returncode != 0:
            pytest.skip(f"base image {base} unavailable: {pulled.stderr.strip()[-300:]}")
    tried = _run(engine, "run", "--rm", base, "python3", "-c", "print('ok')")
    if tried.returncode != 0 or tried.stdout.strip() != "ok":
        pytest.skip(f"{engine} cannot start a container here: {tried.stderr.strip()[-300:]}")

    context = copy_sources(tmp_path_factory.mktemp("container") / "context")
    trusted = ssl.get_default_verify_paths().cafile
    if trusted and Path(trusted).is_file():
        shutil.copy(trusted, context / "deploy" / "ca-certificates" / "this-machine.crt")
    tag = f"localhost/samverkan-test:{secrets.token_hex(4)}"
    build = [engine, "build", "-f", "deploy/Containerfile", "-t", tag, "--build-arg"]
    build += [f"BASE={base}"]
    if engine.endswith("podman"):
        build += ["--format", "docker"]  # keeps HEALTHCHECK, which the OCI format drops
    _ensure(_run(*build, str(context), timeout=1800))
    try:
        yield engine, tag
    finally:
        _run(engine, "rmi", "-f", tag)


def _wait_for_health(engine: str, name: str, port: int) -> None:
    """Until /healthz answers through the published port (bounded; the server needs a moment)."""
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                assert json.load(answer) == {"status": "ok"}
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    logs = _run(engine, "logs", name)
    raise AssertionError(f"the container never answered /healthz:\n{logs.stdout}{logs.stderr}")


def _health_command(engine: str, name: str) -> list[str]:
    """The image's HEALTHCHECK, as a command to run inside the container."""
    config = json.loads(_ensure(_run(engine, "inspect", name)))[0]["Config"]
    test: list[str] = config["Healthcheck"]["Test"]
    if test[0] == "CMD-SHELL":
        return ["sh", "-c", test[1]]
    assert test[0] == "CMD", test
    return test[1:]


def test_the_image_serves_as_a_non_root_user_on_the_port_it_is_given(
    image: tuple[str, str], tmp_path: Path
) -> None:
    engine, tag = image
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o777)  # the image's user (uid 10001) writes the SQLite file here
    volume = ["-v", f"{data}:/var/lib/samverkan"]
    _ensure(_run(engine, "run", "--rm", *volume, tag, "db", "upgrade"))
    name = f"samverkan-test-{secrets.token_hex(4)}"
    port = free_port()
    started = _run(engine, "run", "-d", "--name", name, *volume,
                   "-e", f"SAMVERKAN_PORT={INSIDE_PORT}", "-p", f"127.0.0.1:{port}:{INSIDE_PORT}",
                   tag)  # fmt: skip
    _ensure(started)
    try:
        # Reached through the published port, so it listens beyond the container's loopback.
        _wait_for_health(engine, name, port)

        assert _ensure(_run(engine, "exec", name, "id", "-u")).strip() != "0"
        health = _run(engine, "exec", name, *_health_command(engine, name))
        assert health.returncode == 0, health.stderr

        _ensure(_run(engine, "stop", "-t", "30", name, timeout=120))
        state = json.loads(_ensure(_run(engine, "inspect", name)))[0]["State"]
        assert state["ExitCode"] == 0, _run(engine, "logs", name).stderr  # stopped, not killed
    finally:
        _run(engine, "rm", "-f", name)
