"""People search for platform pickers fed by the bot (Teams' dynamic typeahead).

A picker that asks the bot as the user types is answered from the directory in memory:
active people whose name matches, with organisation and title so two namesakes can be told
apart. Only registered staff get answers, as with `vem`. The chosen value is the person's
name, which forms with a people field read like names typed in a command.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.common.text import fold
from bot.core.request import Request
from bot.directory.cache import DirectoryCache

# The dataset a card's people picker names, and how many answers Teams shows (at most 15).
PEOPLE_DATASET = "samverkan.people"
MOST_RESULTS = 15


@dataclass(frozen=True)
class Found:
    value: str  # what the picker submits: the person's name
    title: str  # what it shows: name, organisation and title


async def search_people(
    cache: DirectoryCache, request: Request, query: str, limit: int = MOST_RESULTS
) -> list[Found]:
    """People whose name starts with, or has a word starting with, what was typed."""
    directory, asker = await cache.asker(request)
    if asker.person is None:
        return []  # the directory is for registered staff only
    wanted = fold(query.strip())
    orgs = {org.id: org for org in directory.organizations}
    ranked = []
    for person in directory.people.values():
        name = fold(person.name)
        if wanted and not (name.startswith(wanted) or f" {wanted}" in f" {name}"):
            continue
        ranked.append((not name.startswith(wanted), person.name, person))
    ranked.sort(key=lambda row: (row[0], row[1]))
    found = []
    for _later, _name, person in ranked[: max(0, min(limit, MOST_RESULTS))]:
        about = ", ".join(p for p in (orgs[person.organization_id].short_name, person.title) if p)
        title = f"{person.name} ({about})"
        found.append(Found(person.name, title))
    return found
