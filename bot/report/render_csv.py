"""The report's figures as CSV in long form (one figure a row), for a spreadsheet or the archive.

Columns are stable English keys, values are plain numbers: the file is for machines and for
people who build their own tables, while the words are in the other formats.
"""

from __future__ import annotations

import csv
import io

from bot.report.figures import Report

COLUMNS = ("section", "forum", "party", "year", "measure", "value")


def rows(report: Report) -> list[tuple[str, str, str, str, str, str]]:
    period = report.label
    found: list[tuple[str, str, str, str, str, str]] = []
    for forum in report.representation:
        found.append(("representation", forum.forum_key, "", period, "held", str(forum.held)))
        found.append(
            (
                "representation",
                forum.forum_key,
                "",
                period,
                "without_attendance",
                str(forum.without_attendance),
            )
        )
        for party in forum.parties:
            found.append(
                (
                    "representation",
                    forum.forum_key,
                    party.org_key,
                    period,
                    "represented",
                    str(party.represented),
                )
            )
        if report.multi_year:
            for year in forum.years:
                found.append(
                    ("representation", forum.forum_key, "", str(year.year), "held", str(year.held))
                )
                for party in year.parties:
                    found.append(
                        (
                            "representation",
                            forum.forum_key,
                            party.org_key,
                            str(year.year),
                            "represented",
                            str(party.represented),
                        )
                    )
    m = report.messages
    for measure, value in (
        ("drafted", m.drafted),
        ("approved", m.approved),
        ("withdrawn", m.withdrawn),
        ("open", m.open),
    ):
        found.append(("messages", "", "", period, measure, str(value)))
    for item in report.actions:
        for measure, value in (
            ("opened", item.opened),
            ("closed", item.closed),
            ("overdue", item.overdue),
        ):
            found.append(("actions", item.forum_key or "", "", period, measure, str(value)))
    for c in report.commitments:
        found.append(("promises", f"L{c.number}", c.party, str(c.year), f"status:{c.status}", "1"))
        found.append(("promises", f"L{c.number}", c.party, str(c.year), "outcome", str(c.outcome)))
        if c.target_count is not None:
            found.append(
                ("promises", f"L{c.number}", c.party, str(c.year), "target", str(c.target_count))
            )
    for cycle in report.cycle:
        for measure, value in (
            ("done", cycle.done),
            ("late", cycle.late),
            ("missed", len(cycle.missed)),
            ("upcoming", cycle.upcoming),
        ):
            found.append(("cycle", "", "", str(cycle.year), measure, str(value)))
    for conclusion in report.conclusions:
        found.append(
            (
                "conclusion",
                "",
                "bra",
                str(conclusion.year),
                "revise",
                "yes" if conclusion.revise else "no",
            )
        )
    return found


def render(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(report))
    return buffer.getvalue()
