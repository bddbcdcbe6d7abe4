"""Views: pure functions from cached frames to what pages show (frames, figures, KPIs, bytes).

No Streamlit here (only `suiteops.ui`, `app.py` and `app_pages/` import it), so every view is unit
tested on small frames. Columns are found by role (`columns.Role`), views are declared once in
`registry.VIEWS`.
"""
