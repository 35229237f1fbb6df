"""Fair facts: what one side's record counts against the other (a no-show, a lapsed response window) is
provisional for a dispute window; either party may dispute it; only confirmed facts count toward the
missed-sessions reminder, non-responsiveness and the badge metrics. A fact withdrawn after it caused a step
reverses that step.

`machine` declares a fact's states; `policy` the dispute window; `recording` records the facts of a no-show
or a lapse; `counting` is the one filter the rules and metrics use; `disputes` disputes, concedes, withdraws
and resolves; `window` closes the window; `consequences` runs the rules a settled fact changes, and
reverses a step a withdrawn fact caused.
May import: kernel, infra, models, events, deadlines, standing, badges, notices.
"""
