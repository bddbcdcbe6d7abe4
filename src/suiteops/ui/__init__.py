"""The Streamlit-aware helpers behind `app.py` and the thin `app_pages/` scripts.

`connection` holds the one cached `Services` and per-snapshot frames; `data_page` renders a
standard data page from `views.registry`; `refresh` runs the shared refresh code with progress
and on schedule; `widgets` and `layout` draw filters, tables, downloads and page chrome.
"""
