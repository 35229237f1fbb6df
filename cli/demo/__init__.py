"""`standing demo`: six months of a mentorship program, simulated through the real use cases.

The program is replayed on a FixedClock that ends at `now`, so the data looks current. Every row is written the
way production writes it: activity through `record_activity`, admin decisions through `apply_event`, time-based
rules by `sweep` (in the hour each deadline falls due, and every night) and badges by `evaluate_badges` (every two
simulated weeks, and once at the end). Nothing is inserted behind the rules' back: a protégé is in `warning`
because the sweep found 60 days without activity, a mentor's notice is cleared because it decayed.

Participants follow stories (an engaged protégé, one who drifts away, one who misses sessions, a mentor who is
suspended...) so that every standing state of both machines and every badge status is present at the end. A fixed
seed makes the organization reproducible. The whole run is one transaction: it is there completely, or not at all.

One module per concept: `simulation` (the run loop) composes the mixins `casting`, `joining`, `sessions`,
`messages`, `feedback`, `goals`, `availability`, `community`, `decisions`, `leave`, `concerns` and `timeline`
over `engine`; `people` holds the cast, `options` the size and seed, `census` the result, `build` the entry point.
"""

from cli.demo.build import build_demo
from cli.demo.census import DemoResult, census, standings_total
from cli.demo.options import DEFAULT_SEED, DEMO_NAME, DEMO_SLUG, DemoRefused, DemoSize

__all__ = [
    "DEFAULT_SEED",
    "DEMO_NAME",
    "DEMO_SLUG",
    "DemoRefused",
    "DemoResult",
    "DemoSize",
    "build_demo",
    "census",
    "standings_total",
]
