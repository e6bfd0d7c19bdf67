"""The words staff type and read for a commitment's status and party, in both languages."""

from __future__ import annotations

from bot.common.text import fold

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
DELAYED = "delayed"
DROPPED = "dropped"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, DELAYED, DROPPED)
CLOSED = (DONE, DROPPED)
JOINT = "joint"

_STATUS_WORDS = {
    NOT_STARTED: ("ej påbörjad", "inte påbörjad", "ej påbörjat", "not started"),
    IN_PROGRESS: ("pågår", "pågående", "in progress", "ongoing"),
    DONE: ("genomförd", "genomfört", "klar", "done", "completed"),
    DELAYED: ("försenad", "försenat", "delayed", "late"),
    DROPPED: ("utgår", "utgått", "dropped", "cancelled"),
}
_JOINT_WORDS = ("gemensamt", "gemensam", "båda", "joint", "both")
BASIS_KINDS = ("lagesbild", "trygghetsmatning")
_BASIS_WORDS = {
    "lagesbild": ("lägesbild", "lagesbild", "situation", "situation picture"),
    "trygghetsmatning": ("trygghetsmätning", "trygghetsmatning", "survey", "safety survey"),
}


def status_from(words: str) -> tuple[str, str] | None:
    """The status the text starts with (one or two words) and the rest: `ej påbörjad x` →
    (`not_started`, `x`)."""
    parts = words.split()
    for count in (2, 1):
        head = fold(" ".join(parts[:count]))
        for status, names in _STATUS_WORDS.items():
            if head in {fold(name) for name in names}:
                return status, " ".join(parts[count:])
    return None


def is_joint(word: str) -> bool:
    return fold(word) in {fold(w) for w in _JOINT_WORDS}


def basis_kind_from(words: str) -> tuple[str, str] | None:
    """`trygghetsmätning 2026-10-30 …` → (`trygghetsmatning`, the rest)."""
    parts = words.split()
    for count in (2, 1):
        head = fold(" ".join(parts[:count]))
        for kind, names in _BASIS_WORDS.items():
            if head in {fold(name) for name in names}:
                return kind, " ".join(parts[count:])
    return None
