"""Tests of standing."""
