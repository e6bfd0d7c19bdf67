"""How to type `samverkan` so that it works as printed, from where the operator stands.

`make run` installs into `.venv` without activating it, so a hint saying `samverkan chat …`
fails with "command not found"; the hint names `.venv/bin/samverkan` then, and the bare name
only when the shell finds this very program by it (an activated venv, an installed wheel).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path


def samverkan_command(
    prefix: Path | None = None,
    cwd: Path | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> str:
    script = (prefix or Path(sys.prefix)) / "bin" / "samverkan"
    if not script.exists():
        return "samverkan"
    found = which("samverkan")
    if found is not None and Path(found).resolve() == script.resolve():
        return "samverkan"
    here = (cwd or Path.cwd()).resolve()
    try:
        return str(script.resolve().relative_to(here))
    except ValueError:
        return str(script)
