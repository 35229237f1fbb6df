"""Erasure that keeps the record: an admin asks for a participant's personal data to be erased, the request can be
cancelled for a window (`policy`), and when the window ends the erasure deadline fires (`erasing`): the name, the
email and the free text the person wrote go, and the log rows, reasons, case outcomes and codes stay under a
pseudonym. `requesting` starts, cancels and reads requests; `receipt` says what was deleted, what was kept, and why.
May import: kernel, infra, models, deadlines (the window's end is a deadline).
"""
