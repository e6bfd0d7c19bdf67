"""Joint communications: drafts that go out only when every party has approved them.

- `service`: the rules (who may approve, request changes, edit, withdraw; the row lock that
  makes concurrent approvals safe) and the append-only versions and decisions.
- `card`: the neutral card (a `Reply`); `publish`: where it goes (the joint channels and their
  linked rooms) and the updates of every posted copy, through the core's outbox.
- `checks`: character counts per target channel (the personnummer rule: `bot.common.privacy`).
- `export`: the full history for the registrar; `nudge`: due reminders for the scheduler.

What the platform adapters need to do for drafts: round-trip `Form.payload` with the submitted
values (Slack `private_metadata`, Teams submit `data`); render a `multichoice` field (values as
a list or a comma-separated string); return the platform's message id from `Messenger.post`
and implement `Messenger.update`; escape user text (mentions, `<!channel>`, links, markup) —
the core keeps the draft's text exactly as written.
"""
