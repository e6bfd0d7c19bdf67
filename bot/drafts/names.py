"""Route and job-kind names of joint drafts, typed once: cards carry them and `bot/features.py`
routes them."""

from __future__ import annotations

NEW_FORM_ROUTE = "draft.new"
CREATE_ROUTE = "draft.create"
APPROVE_ROUTE = "draft.approve"
REQUEST_CHANGES_ROUTE = "draft.request_changes"
EDIT_ROUTE = "draft.edit"
WITHDRAW_ROUTE = "draft.withdraw"
SEND_ANYWAY_ROUTE = "draft.send_anyway"
# A card's per-viewer refresh: the viewer's own card (with the buttons they may use).
VIEW_ROUTE = "draft.view"
NUDGE_KIND = "draft_nudge"
CHANGES_REQUESTED_KIND = "draft_changes_requested"
AMPLIFY_SHARED_ROUTE = "amplify.shared"
