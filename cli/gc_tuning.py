"""The API process's garbage collector, tuned for many long-lived websockets.

With 2,000 subscribers the heap holds about a million long-lived objects, and CPython's default thresholds
(700, 10, 10) ran a full collection every few events: each paused the process for 200-430 ms, and every
subscriber waiting for an event waited that much longer (bench/fanout.py: p99 from the event to the client
587 ms with the defaults, 309 ms with these). A first generation of 50,000 allocations promotes far fewer
short-lived objects of a delivery burst, so full collections become rare; freezing what start-up made (the
schema, the imports) keeps it out of every collection. Cycles are still collected, only less often.
"""

from __future__ import annotations

import gc

FIRST_GENERATION = 50_000


def tune_for_serving() -> None:
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION, second, third)
