"""Shared test support: the world to act on, activity builders, real processes, Redis and arq, queries."""
