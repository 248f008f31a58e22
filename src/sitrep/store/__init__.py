"""Storage behind one small repository interface: SQLite by default, PostgreSQL later."""
from .base import Repository, open_repository

__all__ = ["Repository", "open_repository"]
