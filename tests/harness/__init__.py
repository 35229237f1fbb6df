"""Tests of the test harness itself: whose databases it touches, which servers it starts, what fails a run."""
