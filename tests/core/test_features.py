"""The feature list: everything declared is listed once, and every button routes somewhere.

Buttons are built all over the feature packages; a route name that no `ButtonRoute` answers would
show staff a button that only says "unknown action". These tests read the source of `bot/` so
that every button any reply can carry is checked, not only those a scenario happens to draw.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from datetime import timedelta
from pathlib import Path

import pytest

import bot
import bot.commands
from bot.core.catalog import Feature, build_catalog
from bot.core.registry import ButtonRoute, Command
from bot.core.reply import Reply
from bot.features import FEATURES, default_catalog
from bot.scheduler.kind import JobContext, JobKind

BOT_ROOT = Path(bot.__file__).parent


async def _noop(_context: object, _args: object) -> Reply:
    return Reply(text="")


async def _render(_context: JobContext) -> Reply | None:
    return None


def _route_constants() -> dict[str, str]:
    """Every `*_ROUTE` constant of the feature packages' `names.py`, by constant name."""
    found: dict[str, str] = {}
    for path in BOT_ROOT.glob("*/names.py"):
        module = importlib.import_module(f"bot.{path.parent.name}.names")
        for name, value in vars(module).items():
            if name.endswith("_ROUTE"):
                assert name not in found, f"{name} is defined in two names modules"
                found[name] = value
    return found


def _button_routes_in_source() -> list[tuple[str, ast.expr]]:
    """(where, route expression) for every `Button(label, route, …)` and `Form(route=…)`."""
    routes: list[tuple[str, ast.expr]] = []
    for path in BOT_ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            where = f"{path.relative_to(BOT_ROOT.parent)}:{node.lineno}"
            if node.func.id == "Button" and len(node.args) >= 2:
                routes.append((where, node.args[1]))
            for keyword in node.keywords:
                if node.func.id in ("Button", "Form") and keyword.arg == "route":
                    routes.append((where, keyword.value))
    return routes


def test_every_command_module_is_listed_once() -> None:
    listed = [c for feature in FEATURES for c in feature.commands]
    modules = [m.name for m in pkgutil.iter_modules(bot.commands.__path__)]
    declared = [importlib.import_module(f"bot.commands.{m}").COMMAND for m in modules]
    assert sorted(c.key for c in listed) == sorted(c.key for c in declared)


def test_every_button_a_reply_can_carry_routes_to_a_registered_handler() -> None:
    registered = set(default_catalog().registry.routes)
    constants = _route_constants()
    buttons = _button_routes_in_source()
    assert len(buttons) > 20  # the scan found the cards, not nothing
    for where, expression in buttons:
        if isinstance(expression, ast.Constant):
            route = expression.value
        elif isinstance(expression, ast.Name) and expression.id in constants:
            route = constants[expression.id]
        elif isinstance(expression, ast.Name) and expression.id in ("route", "action"):
            continue  # a parameter passed on from a caller whose own literal is checked here
        else:
            pytest.fail(f"{where}: a button's route must be a names.py constant")
        assert route in registered, f"{where}: no handler is registered for {route!r}"


def test_every_route_constant_has_a_handler_and_every_handler_a_constant() -> None:
    registered = set(default_catalog().registry.routes)
    assert set(_route_constants().values()) == registered


def test_job_kinds_and_digest_sections_come_from_the_features() -> None:
    catalog = default_catalog()
    assert {"plan", "notice", "digest", "reminder", "draft_nudge", "meeting_hour"} <= set(
        catalog.job_kinds
    )
    orders = [section.order for section in catalog.digest_sections]
    assert orders == sorted(orders) and len(orders) >= 5
    assert len(catalog.home_sections) >= 2


def test_a_job_kind_declared_twice_fails_at_start() -> None:
    kind = JobKind("twice", _render, stale_after=timedelta(hours=1))
    with pytest.raises(ValueError, match="twice"):
        build_catalog([Feature("one", job_kinds=(kind,)), Feature("two", job_kinds=(kind,))])


def test_a_route_registered_twice_fails_at_start() -> None:
    route = ButtonRoute("x.press", _noop)
    with pytest.raises(ValueError, match=r"x\.press"):
        build_catalog([Feature("one", routes=(route,)), Feature("two", routes=(route,))])


def test_a_command_name_used_by_two_features_fails_at_start() -> None:
    first = Command("first", ("hej",), ("hello",), _noop)
    second = Command("second", ("hej",), ("hi",), _noop)
    with pytest.raises(ValueError, match="hej"):
        build_catalog([Feature("one", commands=(first,)), Feature("two", commands=(second,))])


def test_a_feature_declared_twice_fails_at_start() -> None:
    with pytest.raises(ValueError, match="twice"):
        build_catalog([Feature("same"), Feature("same")])
