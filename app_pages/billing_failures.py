"""Billing failures (cached query `billing_failures`)."""

from suiteops.ui.data_page import data_page

data_page("billing_failures")
