"""Concerns and cases: a report about a participant becomes a case, handled through its machine to a decision.

`reporting` takes a concern (who may report whom, with which evidence, how often) and files it into a case;
`machine` declares the case's states; `handling` assigns, triages, investigates, dismisses, closes and
reopens; `decisions` decides, applying a standing rung through `apply_event` in the same transaction;
`stages` holds the stage deadlines and their nudges; `notes` the moderator notes and reads of private
session notes; `policy` the stage deadlines, the window and the rate limit.
May import: kernel, infra, models, standing, notices, deadlines, events.
"""
