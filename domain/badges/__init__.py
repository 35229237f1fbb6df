"""Accountability Badges: the criteria, their evaluation, the badge machine, overrides, perks, certificates.

`criteria/` holds one object per criterion of the Code's two badge tables (`mentor.py`, `protege.py`):
each owns its threshold, window, metric, advice and the section of the Code it cites. `policy` groups
them per role and applies an organization's overrides; `evaluation` measures a population set-based and
lets `machine` decide awards and revocations; `advice`, `perks` and the `certificate` follow from it.
May import: kernel, infra, models, access, events, deadlines, facts (which lapses count).
`verification` may also import: standing (a certificate says whether its holder is in good standing).
"""
