"""Overview: a tile per exception type with its count, amount and trend vs the previous day."""

from suiteops.ui.overview import overview_page

overview_page()
