"""Finance: orders vs bills vs payments per day and channel, with the mismatches."""

from suiteops.ui.reconciliation import reconciliation_page

reconciliation_page()
