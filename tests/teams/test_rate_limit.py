"""Teams' per-conversation limits: 7 a second, 60 per 30 seconds."""

from __future__ import annotations

from adapters.teams.messenger import conversation_pacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_eighth_send_in_a_second_waits_for_the_first_to_age() -> None:
    clock = Clock()
    pacer = conversation_pacer(now=clock)
    for _ in range(7):
        assert pacer.take("c") == 0
        clock.now += 0.1

    assert 0 < pacer.take("c") <= 0.4
    assert pacer.take("another conversation") == 0


def test_the_61st_send_in_30_seconds_waits() -> None:
    clock = Clock()
    pacer = conversation_pacer(now=clock)
    for _ in range(60):
        clock.now += 0.2  # 5 a second: under the per-second limit
        assert pacer.take("c") == 0

    assert pacer.take("c") > 0
    clock.now += 30
    assert pacer.take("c") == 0
