"""Tests of the infrastructure: the database as Standing runs it."""
