"""The composition root: the command line and the wiring of settings, storage, core and adapters."""
