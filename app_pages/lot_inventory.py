"""Lot inventory: open lines short of lot quantity, and fulfilled lot items without lots."""

from suiteops.ui.data_page import lot_page

lot_page()
