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


def test_a_conversation_quiet_past_its_longest_window_is_forgotten() -> None:
    """A Teams channel post is a conversation of its own: one send, then quiet for good."""
    clock = Clock()
    pacer = Pacer([(7, 1.0), (60, 30.0)], clock)
    for index in range(1000):
        clock.now += 0.1
        assert pacer.take(f"thread-{index}") == 0
    # Only the threads of the last 31 seconds (the longest window and a margin) are kept.
    assert len(pacer._buckets) <= 320
    clock.now += 31.0
    assert pacer.take("another") == 0
    assert list(pacer._buckets) == ["another"]


def test_forgetting_a_quiet_conversation_never_lets_a_send_through_early() -> None:
    clock = Clock()
    pacer = Pacer([(2, 30.0)], clock)
    assert pacer.take("c") == 0
    clock.now += 29.0
    assert pacer.take("c") == 0
    clock.now += 0.5
    assert pacer.take("c") > 0  # both sends are still inside the window
    clock.now += 0.6
    assert pacer.take("c") == 0  # the first send has left it; the bucket was kept meanwhile
