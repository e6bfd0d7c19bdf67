"""Everything the bot can do, feature by feature: the one list the core, the scheduler, the
digest and the Home tab read (see `bot/core/catalog.py`).

A new command is a module in `bot/commands/` plus one line here; a new job kind, planner, digest
or Home section is a declaration in its feature package plus one line here. Listing beats
discovery: what is not listed here does not run, and nothing runs because of how it is named.
"""

from __future__ import annotations

from bot.agreement import digest_section as agreement_digest
from bot.agreement import home_section as agreement_home
from bot.agreement import job_agreement_end, job_cycle, job_cycle_overdue, year_check
from bot.agreement import planner as agreement_planner
from bot.commands import (
    action,
    actions,
    agreement,
    amplify,
    approve,
    attendance,
    basis,
    cancel_meeting,
    channel,
    contacts,
    cycle,
    digest,
    done,
    draft,
    edit_draft,
    extend,
    followup,
    forums,
    help,
    language,
    link,
    link_room,
    meeting,
    meetings,
    member,
    move_meeting,
    person,
    press_conference,
    promise,
    promises,
    remind,
    reminders,
    renewal,
    representation,
    request_changes,
    rsvp_no,
    rsvp_yes,
    send_anyway,
    series,
    small_talk,
    who,
    withdraw,
)
from bot.core import home
from bot.core.catalog import Catalog, Feature, build_catalog
from bot.digest import job_digest
from bot.digest import planner as digest_planner
from bot.directory import home_section as directory_home
from bot.drafts import digest_section as drafts_digest
from bot.drafts import home_buttons as drafts_home_buttons
from bot.drafts import job_draft_changes_requested, job_draft_nudge
from bot.drafts import planner as drafts_planner
from bot.drafts import view as drafts_view
from bot.followup import digest_section as followup_digest
from bot.followup import home_buttons as followup_home_buttons
from bot.followup import job_action_due, job_action_overdue, job_reminder
from bot.meetings import digest_section as meetings_digest
from bot.meetings import home_buttons as meetings_home_buttons
from bot.meetings import job_attendance_ask, job_meeting_reminders
from bot.meetings import planner as meetings_planner
from bot.promises import digest_section as promises_digest
from bot.promises import home_section as promises_home
from bot.promises import job_overdue as promise_overdue
from bot.promises import job_status_request as promise_status
from bot.promises import planner as promises_planner
from bot.scheduler import job_notice, job_plan

FEATURES: tuple[Feature, ...] = (
    Feature(
        "conversation",
        commands=(help.COMMAND, language.COMMAND, small_talk.COMMAND),
        routes=home.ROUTES,
    ),
    Feature(
        "directory",
        commands=(
            contacts.COMMAND,
            forums.COMMAND,
            who.COMMAND,
            person.COMMAND,
            member.COMMAND,
            link.COMMAND,
        ),
        routes=person.ROUTES,
        home_sections=(directory_home.my_forums,),
    ),
    Feature(
        "channels",
        commands=(channel.COMMAND, link_room.COMMAND),
    ),
    Feature(
        "agreement",
        commands=(agreement.COMMAND, cycle.COMMAND, renewal.COMMAND, extend.COMMAND),
        routes=(*cycle.ROUTES, *year_check.ROUTES),
        job_kinds=(job_agreement_end.KIND, job_cycle.KIND, job_cycle_overdue.KIND),
        planners=(agreement_planner.plan,),
        digest_sections=(agreement_digest.SECTION,),
        home_sections=(agreement_home.agreement_days_left,),
    ),
    Feature(
        "promises",
        commands=(promises.COMMAND, promise.COMMAND, basis.COMMAND),
        routes=promise.ROUTES,
        job_kinds=(promise_status.KIND, promise_overdue.KIND),
        planners=(promises_planner.plan,),
        digest_sections=(promises_digest.SECTION,),
        home_sections=(promises_home.my_commitments,),
    ),
    Feature(
        "meetings",
        commands=(
            meeting.COMMAND,
            meetings.COMMAND,
            attendance.COMMAND,
            series.COMMAND,
            representation.COMMAND,
            # The card's buttons, typed (issue 18): the same handlers as the buttons.
            rsvp_yes.COMMAND,
            rsvp_no.COMMAND,
            cancel_meeting.COMMAND,
            move_meeting.COMMAND,
        ),
        routes=(*meeting.ROUTES, *series.ROUTES, *attendance.ROUTES),
        home_buttons=(meetings_home_buttons.buttons,),
        job_kinds=(*job_meeting_reminders.KINDS, job_attendance_ask.KIND),
        planners=(meetings_planner.plan,),
        digest_sections=(meetings_digest.LAST_WEEK, meetings_digest.THIS_WEEK),
    ),
    Feature(
        "drafts",
        commands=(
            draft.COMMAND,
            press_conference.COMMAND,
            amplify.COMMAND,
            # The card's buttons, typed (issue 18): the same handlers as the buttons.
            approve.COMMAND,
            request_changes.COMMAND,
            edit_draft.COMMAND,
            withdraw.COMMAND,
            send_anyway.COMMAND,
        ),
        routes=(*draft.ROUTES, *amplify.ROUTES, *drafts_view.ROUTES),
        home_buttons=(drafts_home_buttons.buttons,),
        job_kinds=(job_draft_nudge.KIND, job_draft_changes_requested.KIND),
        planners=(drafts_planner.plan,),
        digest_sections=(drafts_digest.SECTION,),
    ),
    Feature(
        "followup",
        commands=(
            action.COMMAND,
            actions.COMMAND,
            done.COMMAND,
            remind.COMMAND,
            reminders.COMMAND,
        ),
        routes=(*action.ROUTES, *done.ROUTES, *remind.ROUTES, *reminders.ROUTES),
        home_buttons=(followup_home_buttons.buttons,),
        job_kinds=(job_action_due.KIND, job_action_overdue.KIND, job_reminder.KIND),
        digest_sections=(followup_digest.SECTION,),
    ),
    Feature(
        "report",
        commands=(followup.COMMAND,),
    ),
    Feature(
        "digest",
        commands=(digest.COMMAND,),
        routes=digest.ROUTES,
        job_kinds=(job_digest.KIND,),
        planners=(digest_planner.plan,),
    ),
    Feature(
        "scheduler",
        job_kinds=(job_notice.KIND, job_plan.KIND),
    ),
)


def default_catalog() -> Catalog:
    """A new catalog of every feature above; new each time, so a test may add to its registry."""
    return build_catalog(FEATURES)
