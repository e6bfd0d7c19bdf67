"""Staff data rights and the data-protection officer's tools (issue 15).

- `sources`: every stored free-text field, which table, forum and date it has.
- `scan`: stored texts that look like they hold a personnummer, with the number masked.
- `redact`: remove such a text from the live tables and, through the one narrow path of
  migration 0009, from the append-only ones (audit log, draft versions, decisions).
- `register`: everything held about one staff member (GDPR art. 15).
- `erasure`: erase a staff member's personal data, keeping the decision trail by name.
- `retention`: delete by category under a retention decision (gallring).
See docs/privacy.md.
"""
