"""The report's figures as plain values: what every format and the chart are drawn from.

No ORM object leaves `gather`, so a renderer cannot load anything by accident and the chart and
the text cannot disagree: both read these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Names:
    """A name in both languages."""

    sv: str
    en: str

    def of(self, language: str) -> str:
        return self.en if language == "en" else self.sv


@dataclass(frozen=True)
class MissedMeeting:
    meeting_id: int
    starts_at: datetime


@dataclass(frozen=True)
class PartyFigures:
    """One expected party's representation in one forum over a span."""

    org_key: str
    org_name: str
    represented: int
    held: int
    missing: tuple[MissedMeeting, ...] = ()

    @property
    def rate(self) -> int:
        return round(100 * self.represented / self.held) if self.held else 0


@dataclass(frozen=True)
class YearFigures:
    year: int
    held: int
    parties: tuple[PartyFigures, ...]
    without_attendance: int


@dataclass(frozen=True)
class ForumRepresentation:
    forum_key: str
    name: Names
    held: int
    parties: tuple[PartyFigures, ...]
    # Held meetings where nobody's attendance is registered: a gap in the data.
    without_attendance: int
    years: tuple[YearFigures, ...]


@dataclass(frozen=True)
class MessageFigures:
    """Joint messages (`utkast`) of the period: drafted, approved by both, withdrawn.

    `published` stays None until publication is recorded: the report then says it is not
    followed up, rather than count approvals as publications.
    """

    drafted: int
    approved: int
    withdrawn: int
    open: int
    published: int | None = None


@dataclass(frozen=True)
class ActionFigures:
    """Action items of one forum (or of none): opened and closed in the period, overdue at
    its end."""

    forum_key: str | None
    name: Names | None
    opened: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class CommitmentFigures:
    number: int
    year: int
    party: str  # an organisation key, or `joint`
    text: str
    status: str
    outcome: int
    target_count: int | None
    target_unit: str | None


@dataclass(frozen=True)
class MissedPoint:
    key: str
    day: date
    name: Names | None  # None: the decisions on a new agreement (named by the catalog)


@dataclass(frozen=True)
class CycleFigures:
    """The yearly cycle's points due in the period: done on time, done late, missed, to come."""

    year: int
    done: int
    late: int
    missed: tuple[MissedPoint, ...]
    upcoming: int


@dataclass(frozen=True)
class RenewalFigures:
    agreement_title: str
    valid_to: date
    extended_to: date | None
    extension_note: str | None
    board_date: date | None
    board_paragraph: str | None
    board_dnr: str | None
    police_date: date | None
    police_dnr: str | None
    signed_on: date | None
    successor_title: str | None


@dataclass(frozen=True)
class Conclusion:
    year: int
    revise: bool
    motivation: str
    decided_by: str | None
    at: datetime


@dataclass(frozen=True)
class Report:
    label: str
    start: date
    end: date  # exclusive
    years: tuple[int, ...]
    made_at: datetime
    representation: tuple[ForumRepresentation, ...]
    messages: MessageFigures
    actions: tuple[ActionFigures, ...]
    commitments: tuple[CommitmentFigures, ...]
    cycle: tuple[CycleFigures, ...]
    renewal: RenewalFigures | None
    conclusions: tuple[Conclusion, ...]
    # Need-to-know forums the reader may not see: counted, never named.
    forums_left_out: int = 0
    org_names: dict[str, str] = field(default_factory=dict)

    @property
    def multi_year(self) -> bool:
        return len(self.years) > 1
