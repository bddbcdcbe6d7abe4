"""Admin: the audit log of recovery actions."""

from suiteops.ui.actions import audit_page

audit_page()
