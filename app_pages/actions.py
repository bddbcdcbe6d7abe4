"""Operations: recovery actions (plan from live NetSuite, confirm, execute once, audit)."""

from suiteops.ui.actions import actions_page

actions_page()
