"""Events for partners: the transactional `outbox` (every change writes an event row in its own
transaction) and signed `webhooks` delivered from it, with their retry `policy`.
May import: kernel, infra, models.
"""
