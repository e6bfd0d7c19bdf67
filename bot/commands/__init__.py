"""One module per command: its declaration (`COMMAND`, optional `ROUTES`) and behaviour."""
