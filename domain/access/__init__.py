"""Who may see and do what, inside which organization.

`principals` (token roles and who a token acts as), `tokens` (issuing, authenticating and revoking
bearer tokens), `organizations`, `visibility`: the one rule of who may read which participant, and
`read_model`: what the hottest reads show, held in memory while provably current.
May import: kernel, infra, models.
"""
