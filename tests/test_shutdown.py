"""The grace period: work registered as a drain is awaited, and stopped when time is up."""

from __future__ import annotations

import asyncio

from adapters.shutdown import Shutdown


async def test_drains_are_awaited_until_they_finish() -> None:
    shutdown = Shutdown(grace=60)
    finished: list[str] = []
    go = asyncio.Event()

    async def slow_work() -> None:
        await go.wait()
        finished.append("slack answer")

    shutdown.drains.append(slow_work)
    draining = asyncio.create_task(shutdown.drain())
    await asyncio.sleep(0)
    assert not draining.done()
    go.set()
    await draining
    assert finished == ["slack answer"]


async def test_work_still_running_when_the_grace_ends_is_cancelled() -> None:
    shutdown = Shutdown(grace=0)
    cancelled: list[bool] = []

    async def stuck() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    shutdown.drains.append(stuck)
    await shutdown.drain()
    assert cancelled == [True]
