"""The persistent scheduler: jobs in the database, claimed with a lease, sent through adapters.

Modules: `jobs` (scheduling API), `claim` (atomic claiming), `dispatcher` (the loop),
`delivery` (where a job goes), `limiter` (per-conversation rate), `kind` and `kinds/`
(one module per job kind), `settings`.
"""
