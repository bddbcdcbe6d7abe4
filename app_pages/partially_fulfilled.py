"""Partially fulfilled (cached query `partially_fulfilled`)."""

from suiteops.ui.data_page import data_page

data_page("partially_fulfilled")
