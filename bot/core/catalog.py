"""What the bot can do, declared feature by feature and assembled once, at start-up.

A feature package declares its parts as objects (`Command`, `ButtonRoute`, `JobKind`, a
planner function, `DigestSection`, `HomeSection`) and `bot/features.py` lists them in one
`Feature` per package. Nothing is discovered by module or attribute names, so reading that list
tells a newcomer everything the bot has, and a name used twice fails here, before serving.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.registry import ButtonRoute, Command, Registry, build_registry

if TYPE_CHECKING:
    from bot.core.home import HomeButtons, HomeSection
    from bot.digest.build import DigestSection
    from bot.scheduler.kind import JobKind
    from bot.scheduler.planning import Planner


@dataclass(frozen=True)
class Feature:
    """One feature's declarations; every field but the name may be left empty."""

    name: str
    commands: Sequence[Command] = ()
    routes: Sequence[ButtonRoute] = ()
    job_kinds: Sequence[JobKind] = ()
    planners: Sequence[Planner] = ()
    digest_sections: Sequence[DigestSection] = ()
    home_sections: Sequence[HomeSection] = ()
    # Buttons at the top of the home page for what staff do most (a new draft, a meeting…).
    home_buttons: Sequence[HomeButtons] = ()


@dataclass(frozen=True)
class Catalog:
    """Every feature's parts, indexed the way the core, the scheduler and the digest read them."""

    features: tuple[Feature, ...]
    registry: Registry
    job_kinds: dict[str, JobKind] = field(default_factory=dict)
    planners: tuple[Planner, ...] = ()
    digest_sections: tuple[DigestSection, ...] = ()
    home_sections: tuple[HomeSection, ...] = ()
    home_buttons: tuple[HomeButtons, ...] = ()


def build_catalog(features: Sequence[Feature]) -> Catalog:
    """Index the features; two features declaring the same name is an error at start-up."""
    names = [feature.name for feature in features]
    if len(set(names)) != len(names):
        raise ValueError(f"a feature is declared twice: {sorted(names)}")
    registry = build_registry(
        [command for feature in features for command in feature.commands],
        [route for feature in features for route in feature.routes],
    )
    kinds: dict[str, JobKind] = {}
    for feature in features:
        for kind in feature.job_kinds:
            if kind.kind in kinds:
                raise ValueError(f"job kind '{kind.kind}' is declared twice")
            kinds[kind.kind] = kind
    sections = sorted(
        (section for feature in features for section in feature.digest_sections),
        key=lambda section: section.order,
    )
    orders = [section.order for section in sections]
    if len(set(orders)) != len(orders):
        raise ValueError(f"two digest sections share an order: {orders}")
    return Catalog(
        features=tuple(features),
        registry=registry,
        job_kinds=kinds,
        planners=tuple(planner for feature in features for planner in feature.planners),
        digest_sections=tuple(sections),
        home_sections=tuple(section for feature in features for section in feature.home_sections),
        home_buttons=tuple(buttons for feature in features for buttons in feature.home_buttons),
    )
