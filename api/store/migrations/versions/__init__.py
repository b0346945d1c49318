"""Alembic revisions (one file each; a package so a wheel ships them)."""
