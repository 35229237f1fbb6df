"""Standing: the two ladders of the Code as machines, and the one use case that moves anyone on them.

`machines/` declares the mentor and protégé machines; `apply.apply_event` applies any event in one
transaction; `rules/` holds the time-based and reactive rules (the 60-day inactivity warning, missed
sessions, non-responsiveness, a suspension's end, a notice's decay); `policy` their thresholds;
`timers` the deadlines a state carries; `history` reads the log; `replay` rebuilds standing at any moment
from it through the machines, and checks it.
May import: kernel, infra, models, events, deadlines, badges, notices, facts (which facts count), protection.
"""
