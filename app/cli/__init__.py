"""The `samverkan` command line: the composition root that wires settings, storage and adapters."""
