"""Persistence models (tortoise-orm). Migrations in domain/migrations are the schema's source of truth.

Model docstrings become SQL table comments: keep semicolons and backticks out of them, because
Tortoise's SQLite schema editor splits statements on ';'.
"""

from domain.models.organization import Organization
from domain.models.participant import Participant
from domain.models.token import ApiToken
from domain.models.transition import AppendOnlyError, TransitionRecord

__all__ = ["Organization", "Participant", "ApiToken", "TransitionRecord", "AppendOnlyError"]
