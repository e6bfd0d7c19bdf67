"""Channels the bot is in, rooms that span platforms, and cards tracked in every channel."""
