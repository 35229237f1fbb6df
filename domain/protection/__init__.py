"""Protecting the other party: when one side of a mentorship is sanctioned, the other is not left with
sessions nobody will attend, nor with clocks running against them; and admins' no-contact orders.

`other_party` cancels the sanctioned side's future sessions (never counted against anyone), writes each
other party a notice, pauses their clocks for the suspension (as leave does) and flags them for a rematch;
`rematch` ranks the mentors to suggest; `no_contact` orders two participants apart until a time, and is
what booking and messaging ask; `policy` holds the durations.
May import: kernel, infra, models, events, deadlines, notices, badges.
"""
