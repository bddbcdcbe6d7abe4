"""SuiteOps dashboard entry point: `streamlit run app.py` (or `python3 run.py dashboard`).

Settings → services (one cached factory) → first-start refresh when the cache is empty →
auto-refresh check → `st.navigation`. The page scripts under `app_pages/` are thin; the logic lives
in `suiteops.views` and `suiteops.ui`.

The page folder is `app_pages/`, not `pages/`: while no session has called `st.navigation` yet,
Streamlit treats a `pages/` folder beside the entry point as a legacy multipage app, so the first
deep link after a restart (e.g. `/actions?action=...`) would run that page alone, without this
script and with the legacy sidebar.
"""

from pathlib import Path

import streamlit as st

from suiteops.errors import SuiteOpsError
from suiteops.ui import navigation
from suiteops.ui.connection import services
from suiteops.ui.refresh import auto_refresh, first_start

st.set_page_config(page_title="SuiteOps", page_icon="🧭", layout="wide")

page = navigation.build(Path(__file__).resolve().parent)
try:
    svc = services()
except SuiteOpsError as exc:  # bad settings, query files or an unreachable demo emulator
    st.error(f"SuiteOps cannot start: {exc}")
    st.stop()
first_start(svc)
with st.sidebar:
    auto_refresh(svc)
page.run()
