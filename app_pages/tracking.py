"""Tracking: item fulfillments with their tracking numbers and carriers, and those without."""

from suiteops.ui.data_page import data_page

data_page("fulfillment_tracking")
