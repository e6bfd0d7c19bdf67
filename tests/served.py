"""The real `samverkan serve` in its own process, and fakes of the remote end beside it.

Tests that stop and start the server as an operator does need a real process (signals, the
listening socket, the exit code). The fakes stand for Slack and the Bot Framework connector on
127.0.0.1; they run on their own event loop in a thread, so the test can block while waiting.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from aiohttp import web

SAMVERKAN = str(Path(sys.executable).with_name("samverkan"))
OURS = ("SLACK_", "TEAMS_", "MICROSOFT_", "Microsoft", "SAMVERKAN_", "DATABASE_URL")
LISTENING = re.compile(r"lyssnar på http://[^:]+:(\d+)")


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without any of the bot's own settings, plus `settings`."""
    return {k: v for k, v in os.environ.items() if not k.startswith(OURS)} | settings


class Served:
    """One `samverkan serve` process; `port` is known once it says it is listening."""

    def __init__(self, cwd: Path, *args: str, **settings: str) -> None:
        self.process = subprocess.Popen(
            [SAMVERKAN, "serve", "--port", "0", *args],
            cwd=cwd,
            env=environment(**settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.output: list[str] = []
        self.errors: list[str] = []
        self._ended = 0
        self._seen = threading.Condition()
        assert self.process.stdout is not None and self.process.stderr is not None
        for stream, into in (
            (self.process.stdout, self.output),
            (self.process.stderr, self.errors),
        ):
            threading.Thread(target=self._read, args=(stream, into), daemon=True).start()
        line = self.wait_for_line(LISTENING.pattern)
        found = LISTENING.search(line)
        assert found is not None
        self.port = int(found.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self, stream: IO[str], into: list[str]) -> None:
        for line in stream:
            with self._seen:
                into.append(line.rstrip("\n"))
                self._seen.notify_all()
        with self._seen:
            self._ended += 1  # one of the two streams is closed
            self._seen.notify_all()

    def wait_for_line(self, pattern: str, timeout: float = 90) -> str:
        """The first line of stdout matching `pattern`; fails with stderr if it never comes."""
        expression = re.compile(pattern)
        with self._seen:
            found = self._seen.wait_for(
                lambda: any(expression.search(line) for line in self.output) or self._ended == 2,
                timeout,
            )
            match = [line for line in self.output if expression.search(line)]
        assert found and match, f"no {pattern!r} in {self.output}; stderr: {self.errors[-30:]}"
        return match[0]

    def stop(self, timeout: float = 90) -> int:
        """SIGTERM, as systemd and Docker stop a service; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


class ThreadedFake:
    """An aiohttp app on 127.0.0.1 on its own loop in a thread (the remote end of a test)."""

    def __init__(self, routes: Callable[[web.Application], None]) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = web.Application()
        routes(self.app)
        self.runner = web.AppRunner(self.app)
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0

    def __enter__(self) -> ThreadedFake:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(30)
        return self

    async def _start(self) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, work: Callable[[], Any]) -> Any:
        """Run `work` on the fake's loop (to set its events from the test's thread)."""
        return self.loop.call_soon_threadsafe(work)

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)
        self.loop.close()
