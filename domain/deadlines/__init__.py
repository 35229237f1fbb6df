"""Durable deadlines: the database row is the timer. `schedule` creates and moves them and tells a queue,
`sweep` fires what is due exactly once, `leave` pauses a participant's clocks, `registry` names the rule
each kind of deadline runs.
May import: kernel, infra, models.
`registry` may also import: activity, appeals, badges, cases, erasure, facts, notices, standing (the rules it runs).
"""
