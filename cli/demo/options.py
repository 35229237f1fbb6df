"""The demo's fixed seed, length, size and organization, and its refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cli.demo.people import MIN_MENTORS, MIN_PROTEGES

DAY, HOUR = timedelta(days=1), timedelta(hours=1)
DAYS = 183  # about six months: long enough for a first notice to decay (180 days) inside the story
EMAIL_DOMAIN = "demo.example.org"  # marks the demo's participants, so a second run can refuse
DEFAULT_SEED = 2026
DEMO_SLUG, DEMO_NAME = "demo-academy", "Demo Academy"  # never the quick start's `demo`: the demo has its own
BADGE_EVERY = 14 * DAY  # the worker evaluates nightly; every two weeks keeps the demo fast


class DemoRefused(Exception):
    """The demo will not run: the organization already has demo data, or the size is too small."""


@dataclass(frozen=True)
class DemoSize:
    mentors: int = 120
    proteges: int = 280

    def problem(self) -> str | None:
        if self.mentors < MIN_MENTORS:
            return f"the demo needs at least {MIN_MENTORS} mentors to tell every mentor story"
        if self.proteges < MIN_PROTEGES:
            return f"the demo needs at least {MIN_PROTEGES} protégés to tell every protégé story"
        return None


DEFAULT_SIZE = DemoSize()  # the program `standing demo` builds unless told otherwise
