"""The time-based and reactive rules of the standing ladders, one module per rule, named after it.

Each rule changes standing only through `domain.standing.apply.apply_event`, with the `system` actor
(or the participant, for renewed activity), evidence, and the version of the policy that decided.
May import: kernel, infra, models, standing (machines, apply, policy), deadlines.
"""
