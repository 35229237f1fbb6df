"""Written notices: every downward step of either ladder, and every appeal decision, is written to the
participant in the same transaction, from a versioned template that is data (`templates/*.json`), with the
six parts the Code's "written reminder with support offered" asks for.

`templates` loads, validates and overrides the templates; `issuing` renders and stores a notice (and its
preview), `reading` acknowledges one and nudges about one left unread.
May import: kernel, infra, models, events, deadlines, standing, appeals.
"""
