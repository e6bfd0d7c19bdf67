"""`samverkan export … | head`: the reader stopped reading, which is no error of ours.

Once `head` has what it wants it closes the pipe; the next write fails with EPIPE. That ends
the export quietly, like other Unix tools, instead of with "Broken pipe" on stderr.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def reader_went_away() -> NoReturn:
    """Point stdout at /dev/null (so the interpreter's last flush cannot complain) and stop."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)
