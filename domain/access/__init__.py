"""Who may see and do what, inside which organization.

`principals` (token roles and who a token acts as), `tokens` (issuing, authenticating and revoking
bearer tokens), `organizations`, and `visibility`: the one rule of who may read which participant.
May import: kernel, infra, models.
"""
