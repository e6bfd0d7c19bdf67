"""One module per job kind (or a few related ones) defining `KIND` or `KINDS`.

Discovered like commands: adding a kind never edits the dispatcher.
"""
