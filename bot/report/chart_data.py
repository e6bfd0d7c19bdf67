"""The chart's numbers, taken from the report's figures: one bar per forum, party (and year).

The chart, its alt text and its table are all drawn from this list, so they cannot tell
different stories; a test checks it against the sentences too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.report.figures import Report


@dataclass(frozen=True)
class Bar:
    group: str  # the forum's short name, with the year for a multi-year report
    party: str
    represented: int
    held: int

    @property
    def rate(self) -> int:
        return round(100 * self.represented / self.held) if self.held else 0


def short_name(name: str) -> str:
    """`Lokala Brottsförebyggande rådet (Brå)` → `Brå` (the name in brackets is what staff
    say); `Spindelgrupper (skola, socialtjänst, polis, fritid)` → `Spindelgrupper` (a list in
    brackets only explains the name)."""
    if name.endswith(")") and "(" in name:
        inner = name[name.rindex("(") + 1 : -1].strip()
        if inner and "," not in inner:
            return inner
        return name[: name.rindex("(")].strip() or name
    return name


def bars(report: Report, language: str) -> list[Bar]:
    """Forums with held meetings only: a forum that did not meet has no rate to draw."""
    found = []
    for forum in report.representation:
        name = short_name(forum.name.of(language))
        if report.multi_year:
            for year in forum.years:
                if year.held:
                    found += [
                        Bar(f"{name} {year.year}", p.org_name, p.represented, year.held)
                        for p in year.parties
                    ]
        elif forum.held:
            found += [Bar(name, p.org_name, p.represented, forum.held) for p in forum.parties]
    return found
