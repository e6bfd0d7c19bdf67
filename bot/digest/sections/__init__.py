"""Digest sections, one module per feature; each defines `SECTION`."""
