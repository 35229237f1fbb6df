"""The activity ledger: what participants do, and what follows from it.

One command per kind of activity (`goals`, `calendar`, `sessions`, `messages`, `community`), and one
use case for all of them, `record.record_activity`: in one transaction it stores the row, arms its
deadlines, runs the reactive rules and re-evaluates the badges concerned (`consequences`).
`windows` holds the nudges and lapses of the 48-hour windows.
May import: kernel, infra, models, standing, deadlines, badges, events, facts, protection.
"""
