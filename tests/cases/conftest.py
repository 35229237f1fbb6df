"""The case tests act on a cohort: a mentor with two protégés whose sessions the mentor missed."""

from tests.support.cohort import cohort

__all__ = ["cohort"]
