"""`standing demo`: six months of a mentorship program, simulated through the real use cases."""

from cli.demo.simulation import (
    DEFAULT_SEED,
    DEMO_NAME,
    DEMO_SLUG,
    DemoRefused,
    DemoResult,
    DemoSize,
    build_demo,
    census,
    standings_total,
)

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
