"""The one pacer behind the scheduler and both messengers: windows, holds and a bounded memory."""

from __future__ import annotations

from bot.common.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_one_a_second_means_the_next_send_a_second_later() -> None:
    clock = Clock()
    pacer = Pacer.per_second(1.0, clock)
    assert pacer.take("c") == 0
    clock.now += 0.25
    assert pacer.take("c") == 0.75
    clock.now += 0.75
    assert pacer.take("c") == 0


def test_a_refused_send_is_not_counted() -> None:
    clock = Clock()
    pacer = Pacer.per_second(2.0, clock)
    assert pacer.take("c") == 0
    for _ in range(5):
        assert pacer.take("c") > 0
    clock.now += 0.5
    assert pacer.take("c") == 0


def test_a_hold_after_a_429_stops_sends_even_when_unpaced() -> None:
    clock = Clock()
    pacer = Pacer([], clock)
    assert pacer.take("c") == 0
    pacer.hold("c", 3.0)
    assert pacer.take("c") == 3.0
    assert pacer.take("d") == 0
    clock.now += 3.0
    assert pacer.take("c") == 0


def test_a_shorter_hold_never_shortens_a_longer_one() -> None:
    clock = Clock()
    pacer = Pacer([], clock)
    pacer.hold("c", 10.0)
    pacer.hold("c", 1.0)
    assert pacer.take("c") == 10.0


def test_memory_is_bounded_by_the_number_of_conversations() -> None:
    clock = Clock()
    pacer = Pacer([(1, 60.0)], clock, max_conversations=100)
    for index in range(1000):
        pacer.take(f"c{index}")
    assert len(pacer._buckets) == 100
    assert pacer.take("c999") > 0  # the newest are remembered


def test_a_bucket_keeps_only_sends_inside_its_longest_window() -> None:
    clock = Clock()
    pacer = Pacer([(7, 1.0), (60, 30.0)], clock)
    for _ in range(600):
        clock.now += 1.0
        assert pacer.take("c") == 0
    assert pacer._buckets["c"].count() <= 31
