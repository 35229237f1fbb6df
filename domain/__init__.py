"""Standing's domain: the Code of Conduct as machines, rules, models and use cases.

Nothing here imports `schema` (GraphQL, HTTP, CLI) or `workers` (arq).
"""
