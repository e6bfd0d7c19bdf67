"""One module per command: its declaration (`COMMAND`, optional `ACTIONS`) and behaviour."""
