"""What the deployment tests share: where the kit is, free ports, a copy of the sources."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Never copied into a build context: local state, caches and secrets.
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", ".hypothesis",
    "*.sqlite3", ".env", "*.zip",
)  # fmt: skip


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def copy_sources(target: Path) -> Path:
    """The repository's files, without local state, in `target` (which must not exist)."""
    shutil.copytree(ROOT, target, ignore=LEFT_OUT)
    return target
