"""What the Teams adapter remembers between turns is bounded in size and in time."""

from __future__ import annotations

from adapters.teams.store import KnownChannels


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_known_channel_lapses_after_its_time() -> None:
    clock = Clock()
    known = KnownChannels(clock)
    known.note("tenant", "19:a")
    assert known.fresh("tenant", "19:a")
    clock.now += KnownChannels.TTL + 1
    assert not known.fresh("tenant", "19:a")


def test_known_channels_never_outgrow_their_limit_and_keep_the_newest() -> None:
    clock = Clock()
    known = KnownChannels(clock)
    for index in range(KnownChannels.LIMIT + 500):
        known.note("tenant", f"19:{index}")
    assert len(known._seen) == KnownChannels.LIMIT
    assert known.fresh("tenant", f"19:{KnownChannels.LIMIT + 499}")
    assert not known.fresh("tenant", "19:0")
