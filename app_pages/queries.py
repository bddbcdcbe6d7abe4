"""Admin: the query catalog with each query's version, refresh interval and cache health."""

from suiteops.ui.admin import queries_page

queries_page()
