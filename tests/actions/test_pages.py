"""AppTest drives the recovery-actions page through plan → confirm → result, and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from suiteops.ui.actions import audit_table

from .conftest import Lab, emulator_env

ROOT = Path(__file__).resolve().parents[2]
AUTH = {
    "auth": {
        "redirect_uri": "http://127.0.0.1/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "suiteops",
        "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1/.well-known/openid-configuration",
    }
}


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def page_lab(lab: Lab, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Lab:
    for name, value in emulator_env(lab.emu, lab.settings.data_dir).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return lab


def app(page: str, email: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=60)
    if email is not None:
        at.secrets = AUTH
        at.user = {"is_logged_in": True, "email": email}
    at.query_params.update(query)
    return at.run()


def alerts(at: AppTest) -> list[str]:
    return [e.value for kind in (at.info, at.success, at.warning, at.error) for e in kind]


def test_real_account_without_login_disables_actions(page_lab: Lab) -> None:
    at = app("actions.py")
    assert not at.exception
    assert any("no login is configured" in t for t in alerts(at))
    assert not at.button  # nothing to click


def test_deep_link_plan_confirm_execute(page_lab: Lab) -> None:
    so_id = page_lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")
    at = app("actions.py", "ops@example.com", action="close_lines", target=str(so_id))
    assert not at.exception
    assert at.selectbox(key="act-action").value == "close_lines"
    assert at.text_input(key="act-targets").value == str(so_id)
    at.button(key="act-plan").click().run()
    changes = at.dataframe[0].value
    assert set(changes["after"]) == {"T"} and len(changes) > 0
    assert page_lab.one(f"SELECT status FROM transaction WHERE id = {so_id}") == "B"
    at.button(key="act-execute").click().run()
    assert any("Close the open lines" in t for t in alerts(at))
    at.button(key="act-cancel").click().run()
    assert page_lab.one(f"SELECT status FROM transaction WHERE id = {so_id}") == "B"
    at.button(key="act-execute").click().run()
    at.button(key="act-confirm").click().run()
    assert not at.exception
    assert any("Done and verified" in s.value for s in at.success)
    assert page_lab.one(f"SELECT status FROM transaction WHERE id = {so_id}") == "H"
    audit = app("audit.py", "ops@example.com")
    assert not audit.exception
    shown = audit.dataframe[0].value
    assert list(shown["target"]) == [str(so_id)] and list(shown["result"]) == ["done"]
    assert list(shown["actor"]) == ["ops@example.com"]


def test_role_without_permission_is_told(page_lab: Lab) -> None:
    at = app("actions.py", "fin@example.com", action="close_lines")
    assert any("needs the ops role" in t for t in alerts(at))
    assert not [b for b in at.button if b.key == "act-plan"]


def test_bulk_needs_the_typed_count(page_lab: Lab) -> None:
    ids = [str(r[0]) for r in page_lab.emu.sql(
        "SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B' ORDER BY id LIMIT 2"
    )]  # fmt: skip
    at = app("actions.py", "admin@example.com", action="close_lines", target=",".join(ids))
    at.button(key="act-plan").click().run()
    at.text_input(key="act-typed").input("yes").run()
    at.button(key="act-run-bulk").click().run()
    assert any("not confirmed" in e.value for e in at.error)
    at.text_input(key="act-typed").input("2").run()
    at.button(key="act-run-bulk").click().run()
    results = at.dataframe[-1].value
    assert list(results["status"]) == ["done", "done"]
    statuses = {r[0] for r in page_lab.emu.sql(
        f"SELECT status FROM transaction WHERE id IN ({', '.join(ids)})")}  # fmt: skip
    assert statuses == {"H"}


def test_audit_page_filters(page_lab: Lab) -> None:
    from suiteops.actions import execute, plan
    from suiteops.actions.roles import Actor

    orders = [r[0] for r in page_lab.emu.sql(
        "SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B' ORDER BY id LIMIT 2"
    )]  # fmt: skip
    billed = page_lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'G'")
    ops, fin = (
        Actor("ops@example.com", frozenset({"ops"})),
        Actor("fin@example.com", frozenset({"finance"})),
    )
    for so_id in orders:
        execute(plan("close_lines", str(so_id), page_lab.ctx), page_lab.ctx, ops)
    execute(plan("bill_order", str(billed), page_lab.ctx), page_lab.ctx, fin)
    at = app("audit.py", "admin@example.com")
    assert len(at.dataframe[0].value) == 3
    at.selectbox(key="aud-actor").select("fin@example.com").run()
    shown = at.dataframe[0].value
    assert list(shown["result"]) == ["refused"] and "already billed" in shown["plan"].iloc[0]
    at.selectbox(key="aud-actor").select(None).run()
    at.selectbox(key="aud-result").select("done").run()
    assert sorted(at.dataframe[0].value["target"]) == sorted(str(o) for o in orders)
    at.text_input(key="aud-target").input(str(orders[1])).run()
    assert list(at.dataframe[0].value["target"]) == [str(orders[1])]


def test_audit_table_summarises_plans() -> None:
    import json

    import pandas as pd

    plan = {"calls": [{"method": "PATCH", "path": "/record/v1/salesOrder/7"}], "refusal": None}
    frame = pd.DataFrame({"entry_id": [1], "record_ids": [("7", "8")], "plan": [json.dumps(plan)]})
    table = audit_table(frame)
    assert table.loc[0, "record_ids"] == "7, 8"
    assert table.loc[0, "plan"] == "PATCH /record/v1/salesOrder/7"


def test_empty_audit_log_renders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUITEOPS_NETSUITE_ACCOUNT", "1234567")
    monkeypatch.setenv("SUITEOPS_DATA_DIR", str(tmp_path / "data"))
    at = app("audit.py")
    assert not at.exception
    assert any("0 entries shown" in c.value for c in at.caption)


def test_export_preview_and_download(page_lab: Lab) -> None:
    from suiteops.refresh import refresh

    refresh(page_lab.services, ["billing_failures"])
    at = app("actions.py", "ops@example.com", action="export_exceptions")
    at.button(key="act-plan").click().run()
    preview = at.dataframe[0].value
    assert list(preview.columns)[:3] == ["type", "reason", "suggested_action"]
    assert set(preview["query"]) == {"billing_failures"} and len(preview) > 0
    at.button(key="act-execute").click().run()
    at.button(key="act-confirm").click().run()
    (download,) = at.get("download_button")
    assert download.proto.label.startswith("Download exceptions-")
