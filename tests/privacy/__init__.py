"""Confidentiality and hostile input through the real adapters (issue 15)."""
