"""The Slack adapter: transport, translation to `Request`, and rendering of `Reply` as Block Kit.

Nothing here decides a business rule; the core does. See `app.py` for how the pieces meet.
"""
