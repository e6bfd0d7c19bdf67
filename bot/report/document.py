"""The report as a neutral document: headings, sentences and tables in the reader's language.

HTML, PDF, Markdown and the chat answer all render this one document, so every format says
the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.common.i18n import Translator
from bot.report import chart_data
from bot.report.figures import ForumRepresentation, Report

MISSING_SHOWN = 6


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    chart: bool = False  # the representation chart belongs here


@dataclass(frozen=True)
class Document:
    title: str
    language: str
    subtitle: str
    headline: tuple[str, ...]
    blocks: tuple[Block, ...]
    bars: tuple[chart_data.Bar, ...]
    chart_title: str
    chart_alt: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def _party(t: Translator, report: Report, key: str) -> str:
    if key == "joint":
        return t("promises.party.joint")
    return report.org_names.get(key, key)


def _representation_lines(t: Translator, forum: ForumRepresentation) -> list[str]:
    name = chart_data.short_name(forum.name.of(t.language))
    if forum.held == 0:
        return [t("report.representation.no_meetings", forum=name)]
    lines = [
        t(
            "report.representation.line",
            org=party.org_name,
            represented=party.represented,
            held=forum.held,
            forum=name,
            rate=party.rate,
        )
        for party in forum.parties
    ]
    for party in forum.parties:
        if party.missing:
            shown = ", ".join(
                f"M{m.meeting_id} ({t.date(m.starts_at.astimezone(t.timezone).date())})"
                for m in party.missing[:MISSING_SHOWN]
            )
            more = len(party.missing) - MISSING_SHOWN
            if more > 0:
                shown += " " + t("report.and_more", count=more)
            lines.append(t("report.representation.missing", org=party.org_name, meetings=shown))
    if forum.without_attendance:
        lines.append(t.count("report.representation.gaps", forum.without_attendance, forum=name))
    return lines


def _representation(t: Translator, report: Report, bars: list[chart_data.Bar]) -> Block:
    lines: list[str] = []
    for forum in report.representation:
        lines += _representation_lines(t, forum)
    if report.forums_left_out:
        lines.append(t.count("report.left_out", report.forums_left_out))
    table = Table(
        t("report.chart.table_caption"),
        (
            t("report.col.forum"),
            t("report.col.party"),
            t("report.col.represented"),
            t("report.col.held"),
            t("report.col.rate"),
        ),
        tuple((b.group, b.party, str(b.represented), str(b.held), f"{b.rate} %") for b in bars),
    )
    return Block("representation", t("report.section.representation"), tuple(lines), (table,), True)


def _messages(t: Translator, report: Report) -> Block:
    m = report.messages
    lines = [
        t("report.messages.line", drafted=m.drafted, approved=m.approved, withdrawn=m.withdrawn)
    ]
    if m.open:
        lines.append(t("report.messages.open", count=m.open))
    if m.published is None:
        lines.append(t("report.messages.published_unknown"))
    else:
        lines.append(t("report.messages.published", count=m.published))
    return Block("messages", t("report.section.messages"), tuple(lines))


def _actions(t: Translator, report: Report) -> Block:
    rows = []
    lines = []
    for item in report.actions:
        forum = (
            chart_data.short_name(item.name.of(t.language)) if item.name else t("report.no_forum")
        )
        rows.append((forum, str(item.opened), str(item.closed), str(item.overdue)))
        lines.append(
            t(
                "report.actions.line",
                forum=forum,
                opened=item.opened,
                closed=item.closed,
                overdue=item.overdue,
            )
        )
    if not lines:
        lines.append(t("report.actions.none"))
    table = Table(
        t("report.actions.caption"),
        (
            t("report.col.forum"),
            t("report.col.opened"),
            t("report.col.closed"),
            t("report.col.overdue"),
        ),
        tuple(rows),
    )
    return Block("actions", t("report.section.actions"), tuple(lines), (table,) if rows else ())


def _commitments(t: Translator, report: Report) -> Block:
    by_party: dict[str, dict[str, int]] = {}
    rows = []
    for c in report.commitments:
        counts = by_party.setdefault(c.party, {})
        counts[c.status] = counts.get(c.status, 0) + 1
        target = f"{c.target_count} {c.target_unit or ''}".strip() if c.target_count else "–"
        rows.append(
            (
                f"L{c.number}",
                str(c.year),
                _party(t, report, c.party),
                c.text,
                t(f"promises.status.{c.status}"),
                str(c.outcome),
                target,
            )
        )
    lines = []
    for party, counts in by_party.items():
        statuses = ", ".join(
            f"{count} {t(f'promises.status.{status}').lower()}" for status, count in counts.items()
        )
        lines.append(
            t(
                "report.promises.party",
                party=_party(t, report, party),
                count=sum(counts.values()),
                statuses=statuses,
            )
        )
    for c in report.commitments:
        if c.target_count:
            lines.append(
                t(
                    "report.promises.outcome",
                    id=f"L{c.number}",
                    outcome=c.outcome,
                    target=c.target_count,
                    unit=c.target_unit or "",
                )
            )
    if not lines:
        lines.append(t("report.promises.none"))
    table = Table(
        t("report.promises.caption"),
        (
            t("report.col.id"),
            t("report.col.year"),
            t("report.col.party"),
            t("report.col.text"),
            t("report.col.status"),
            t("report.col.outcome"),
            t("report.col.target"),
        ),
        tuple(rows),
    )
    return Block("promises", t("report.section.promises"), tuple(lines), (table,) if rows else ())


def _cycle(t: Translator, report: Report) -> Block:
    lines = []
    for year in report.cycle:
        lines.append(
            t(
                "report.cycle.line",
                year=year.year,
                done=year.done,
                late=year.late,
                missed=len(year.missed),
                upcoming=year.upcoming,
            )
        )
        for point in year.missed:
            name = point.name.of(t.language) if point.name else t("cycle.decisions")
            lines.append(t("report.cycle.missed", point=name, day=t.date(point.day)))
    return Block("cycle", t("report.section.cycle"), tuple(lines))


def _decisions(t: Translator, report: Report) -> Block:
    lines = []
    r = report.renewal
    if r is not None:
        lines.append(t("report.renewal.agreement", title=r.agreement_title, day=t.date(r.valid_to)))
        if r.extended_to:
            lines.append(t("report.renewal.extended", day=t.date(r.extended_to)))
        if r.board_date:
            lines.append(
                t(
                    "report.renewal.board",
                    day=t.date(r.board_date),
                    ref=" ".join(x for x in (r.board_paragraph, r.board_dnr) if x) or "–",
                )
            )
        if r.police_date:
            lines.append(
                t("report.renewal.police", day=t.date(r.police_date), ref=r.police_dnr or "–")
            )
        if r.signed_on:
            lines.append(t("report.renewal.signed", day=t.date(r.signed_on)))
        if r.successor_title:
            lines.append(t("report.renewal.successor", title=r.successor_title))
        if not (r.board_date or r.police_date or r.signed_on or r.extended_to):
            lines.append(t("report.renewal.none"))
    by_year = {c.year: c for c in report.conclusions}
    for year in report.years:
        conclusion = by_year.get(year)
        if conclusion is None:
            lines.append(t("report.conclusion.none", year=year))
            continue
        lines.append(
            t(
                "report.conclusion.yes" if conclusion.revise else "report.conclusion.no",
                year=year,
                motivation=conclusion.motivation,
                who=conclusion.decided_by or "–",
                day=t.date(conclusion.at.astimezone(t.timezone).date()),
            )
        )
    return Block("decisions", t("report.section.decisions"), tuple(lines))


def _headline(t: Translator, report: Report) -> tuple[str, ...]:
    totals: dict[str, list[int]] = {}
    for forum in report.representation:
        for party in forum.parties:
            pair = totals.setdefault(party.org_name, [0, 0])
            pair[0] += party.represented
            pair[1] += party.held
    lines = [
        t(
            "report.headline.representation",
            org=org,
            represented=r,
            held=h,
            rate=round(100 * r / h) if h else 0,
        )
        for org, (r, h) in totals.items()
    ]
    if not any(h for _, h in totals.values()):
        lines = [t("report.headline.no_meetings")]  # never "0 av 0 möten (0 %)"
    m = report.messages
    lines.append(t("report.headline.messages", drafted=m.drafted, approved=m.approved))
    done = sum(1 for c in report.commitments if c.status == "done")
    lines.append(t("report.headline.promises", done=done, count=len(report.commitments)))
    missed = sum(len(y.missed) for y in report.cycle)
    lines.append(
        t("report.headline.cycle", done=sum(y.done + y.late for y in report.cycle), missed=missed)
    )
    return tuple(lines)


def chart_alt(t: Translator, bars: list[chart_data.Bar], label: str) -> str:
    """The chart in words, for screen readers: every bar's figure."""
    if not bars:
        return t("report.chart.empty", period=label)
    parts = [
        t(
            "report.chart.bar",
            group=b.group,
            party=b.party,
            represented=b.represented,
            held=b.held,
            rate=b.rate,
        )
        for b in bars
    ]
    return t("report.chart.alt", period=label) + " " + "; ".join(parts) + "."


def build(report: Report, t: Translator) -> Document:
    bars = chart_data.bars(report, t.language)
    return Document(
        title=t("report.title", period=report.label),
        language=t.language,
        subtitle=t("report.subtitle", made=t.date(report.made_at.astimezone(t.timezone).date())),
        headline=_headline(t, report),
        blocks=(
            _representation(t, report, bars),
            _messages(t, report),
            _actions(t, report),
            _commitments(t, report),
            _cycle(t, report),
            _decisions(t, report),
        ),
        bars=tuple(bars),
        chart_title=t("report.chart.title", period=report.label),
        chart_alt=chart_alt(t, bars, report.label),
        notes=(t("report.footer"),),
    )
