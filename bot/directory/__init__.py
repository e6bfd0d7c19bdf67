"""The directory: forums, organisations, people and memberships, and who may see what."""
