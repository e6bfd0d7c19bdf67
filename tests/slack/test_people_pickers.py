"""People fields on Slack: the platform's own user selects, read back as Slack user ids."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from adapters.slack.modals import picked_users
from adapters.slack.render import render_form
from adapters.slack.translate import FormMetadata, form_values
from bot.core.reply import Form, FormField

FORM = Form(
    "Ny åtgärd",
    "Spara",
    "action.create",
    [
        FormField("owner", "Ansvarig", kind="user"),
        FormField("people", "Närvarande", kind="users", required=False),
    ],
)


def test_one_person_is_a_users_select_and_several_a_multi_users_select() -> None:
    view = render_form(FORM, FormMetadata("action.create", "C1"), ZoneInfo("Europe/Stockholm"))

    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {"owner": "users_select", "people": "multi_users_select"}


def test_the_chosen_users_come_back_as_slack_user_ids() -> None:
    view = {
        "state": {
            "values": {
                "owner": {"value": {"type": "users_select", "selected_user": "U0ERIK"}},
                "people": {
                    "value": {"type": "multi_users_select", "selected_users": ["U0SARA", "U0KARIN"]}
                },
            }
        }
    }

    assert form_values(view) == {"owner": "U0ERIK", "people": ["U0SARA", "U0KARIN"]}
    # Both pickers are offered to the e-mail look-up that links colleagues on first use.
    assert picked_users(view) == {"owner": ["U0ERIK"], "people": ["U0SARA", "U0KARIN"]}


def test_an_empty_single_picker_picks_nobody() -> None:
    view = {
        "state": {"values": {"owner": {"value": {"type": "users_select", "selected_user": None}}}}
    }
    assert picked_users(view) == {}
    assert form_values(view) == {"owner": None}
