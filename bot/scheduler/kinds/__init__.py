"""One module per job kind, each defining `KIND` (a JobKind): discovered like commands."""
