"""Edited copies of the bundled agreement file, written beside a copy of the agreement's text
that the file points to (`text = …`, read relative to the file)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.common.config import BUNDLED_AGREEMENT

TEXT_FILE = BUNDLED_AGREEMENT.parent / "samverkansoverenskommelse-2023-2026.txt"


def write_agreement(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    shutil.copy(TEXT_FILE, path.parent / TEXT_FILE.name)
    return path
