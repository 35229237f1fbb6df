"""Appeals: a sanctioned participant appeals one downward step, once, within its window; an admin who did not
take the step decides it: upheld, reduced to a lighter rung, or overturned through the machine's way back.
An undecided appeal expires and nothing changes. While one is open, automation takes no further punitive step.

`machine` declares the appeal's states; `filing` files and withdraws; `deciding` decides and expires, each
decision with a notice of its own; `policy` holds the windows.
May import: kernel, infra, models, standing, notices, deadlines, events.
"""
