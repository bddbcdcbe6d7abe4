"""SuiteOps dashboard entry point: `streamlit run app.py` (or `python3 run.py dashboard`).

Settings → services (one cached factory) → auto-refresh check → `st.navigation`. The page
scripts under `pages/` are thin; the logic lives in `suiteops.views` and `suiteops.ui`.
"""

from pathlib import Path

import streamlit as st

from suiteops.ui import navigation
from suiteops.ui.connection import services
from suiteops.ui.refresh import auto_refresh

st.set_page_config(page_title="SuiteOps", page_icon="🧭", layout="wide")

page = navigation.build(Path(__file__).resolve().parent)
with st.sidebar:
    auto_refresh(services())
page.run()
