"""Admin: refresh runs, newest first, with status, rows, pages, retries and errors."""

from suiteops.ui.admin import runs_page

runs_page()
