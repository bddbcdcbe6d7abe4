"""Support: find an order by Shopify name or id, SO number, e-mail or tracking number."""

from suiteops.ui.lookup import lookup_page

lookup_page()
