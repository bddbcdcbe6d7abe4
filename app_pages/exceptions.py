"""Exceptions inbox: every exception row of every type, with its reason, age and where to act."""

from suiteops.ui.overview import inbox_page

inbox_page()
