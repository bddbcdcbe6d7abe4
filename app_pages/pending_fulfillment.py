"""Pending fulfillment (cached query `pending_fulfillment`)."""

from suiteops.ui.data_page import data_page

data_page("pending_fulfillment")
