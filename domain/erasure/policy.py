"""How long an erasure request can be cancelled, and what the record calls the person once erased.

The GDPR (Art. 17 and 12(3)) asks that erasure happen without undue delay, and within a month at most; Standing
waits a week, so that a mistaken or malicious request can be cancelled before anything is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.thresholds import Threshold


@dataclass(frozen=True)
class ErasurePolicy:
    version: str
    window: Threshold  # from the request to the erasure: cancellable until then
    pseudonym_prefix: str  # the erased person's display name is this and a random tag
    erased_text: str  # what free text the person wrote becomes
    max_reason: int


ERASURE_POLICY = ErasurePolicy(
    version="erasure-2026.1",
    window=Threshold(
        timedelta(days=7),
        "Standing's choice, within the GDPR's month (Art. 12(3)): a week in which a mistaken request can be cancelled.",
    ),
    pseudonym_prefix="Erased participant",
    erased_text="[erased]",
    max_reason=2000,
)
