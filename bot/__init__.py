"""Samverkansboten: the shared, platform-neutral command core."""
