"""Tests of the worker: surviving Redis outages, its heartbeat and its metrics."""
