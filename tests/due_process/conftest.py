"""The due-process tests act on the same cohort as the case tests."""

from tests.support.cohort import cohort

__all__ = ["cohort"]
