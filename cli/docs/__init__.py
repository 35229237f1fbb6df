"""Generators of the docs' tables and diagrams, so that no page can drift from the code."""
