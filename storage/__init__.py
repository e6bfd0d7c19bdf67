"""Persistence: SQLAlchemy 2 async models, sessions, audit log and Alembic migrations."""
