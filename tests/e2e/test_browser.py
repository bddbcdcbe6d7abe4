"""Real-browser end-to-end tests: `streamlit run` + Debian Chromium driven by Playwright.

One dashboard server (the `suiteops dashboard` command line) against the session's emulator and
a temporary data_dir refreshed once, and one browser for the module. Every request that leaves
127.0.0.1 is refused and fails the test that caused it. Each page's screenshot is saved under
`test-artifacts/`. Without /usr/bin/chromium these tests skip (saying how to install it) unless
SUITEOPS_E2E_REQUIRED=1, as in CI, where they fail instead.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e.chromium import (
    ARTIFACTS,
    CHROMIUM,
    LAUNCH_ARGS,
    LOCAL,
    free_port,
    require_chromium,
    wait_healthy,
)
from e2e.dashenv import emulator_env, environment, refresh_all
from suiteops.cli.dashboard import ROOT, streamlit_command
from suiteops.ui.navigation import SECTIONS

pytestmark = pytest.mark.e2e

PAGES = [(Path(e.path).stem, e.title) for _, entries in SECTIONS for e in entries]
# Streamlit's "still running" marker and loading skeletons, gone once a rerun has finished.
IDLE = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
)


@pytest.fixture(scope="module")
def server(emulator: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by `streamlit run` on a free loopback port; yields its URL."""
    require_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    env = emulator_env(emulator, folder / "data")
    with environment(env):
        refresh_all()
    port = free_port()
    log = folder / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            streamlit_command(port, "127.0.0.1"),
            cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, its profile and cache in a temporary folder."""
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=LAUNCH_ARGS,
            env={**os.environ, "XDG_CONFIG_HOME": str(home), "XDG_CACHE_HOME": str(home)},
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab; any request leaving 127.0.0.1 is refused and fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 1800}, accept_downloads=True)
    outside: list[str] = []

    def guard(route: Any) -> None:
        if LOCAL.match(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    yield tab
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


def settle(page: Any) -> None:
    """Wait until the current rerun has finished drawing."""
    page.wait_for_timeout(200)
    page.wait_for_function(IDLE, timeout=60_000)


def heading(page: Any, title: str) -> None:
    """Wait for the page title `title` (the h1 every page starts with), then for the rerun."""
    page.get_by_role("heading", level=1).filter(has_text=title).wait_for(timeout=60_000)
    settle(page)
    shown = page.locator('[data-testid="stException"]').count()
    assert shown == 0, f"{title}: an exception is shown"


def visit(page: Any, server: str, path: str, title: str) -> None:
    """Open `path` in the tab and wait until its page has rendered."""
    page.goto(f"{server}/{path}")
    heading(page, title)


def shoot(page: Any, name: str) -> None:
    """Save a screenshot of the page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def table_rows(page: Any, index: int = 0) -> tuple[list[str], list[list[str]], int]:
    """Headers and cell texts of the rows a `st.dataframe` has drawn, and its row count."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index).locator("table")
    grid.locator("td").first.wait_for(state="attached", timeout=30_000)
    headers = grid.locator("th").all_inner_texts()
    cells = grid.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(c => c.innerText))"
    )
    total = int(grid.get_attribute("aria-rowcount") or 0) - 1  # minus the header row
    return headers, cells, total


def test_every_page_opens_from_the_sidebar(server: str, page: Any) -> None:
    visit(page, server, "", "Overview")
    nav = page.locator('[data-testid="stSidebarNav"]')
    for path, title in PAGES:
        nav.get_by_role("link", name=title, exact=True).click()
        heading(page, title)
        assert page.url.rstrip("/").endswith(path) or path == "overview", (path, page.url)
        shoot(page, path)


def test_search_an_order_shows_its_timeline(server: str, page: Any, emulator: Any) -> None:
    so_number, tracking = emulator.sql(
        "SELECT so.tranid, tn.trackingnumber FROM transaction so"
        " JOIN transactionline fm ON fm.createdfrom = so.id AND fm.mainline = 'T'"
        " JOIN trackingnumbermap m ON m.transaction = fm.transaction"
        " JOIN trackingnumber tn ON tn.id = m.trackingnumber"
        " WHERE so.type = 'SalesOrd' ORDER BY so.id LIMIT 1"
    )[0]
    visit(page, server, "order_lookup", "Order lookup")
    page.get_by_label(re.compile("Shopify order")).fill(tracking)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", level=3).filter(has_text=so_number).wait_for(timeout=30_000)
    settle(page)
    _, cells, _ = table_rows(page)
    texts = [c for row in cells for c in row]
    assert "Order created" in texts and "Fulfillment" in texts
    assert any(tracking in text for text in texts)
    shoot(page, "order_lookup-result")


def _as_of(page: Any) -> str:
    text = page.get_by_text(re.compile(r"^As of \d{4}-\d\d-\d\d")).first.inner_text()
    return text.split(" · ")[0]


def test_refresh_changes_the_age(server: str, page: Any) -> None:
    visit(page, server, "lot_inventory", "Lot inventory")
    before = _as_of(page)
    time.sleep(1.1)  # the as-of line has one-second resolution
    page.get_by_role("button", name="Refresh now").first.click()
    page.get_by_text(re.compile(r"Refreshed 1 of 1 queries")).wait_for(timeout=60_000)
    settle(page)
    after = _as_of(page)
    assert after != before and after > before
    shoot(page, "lot_inventory-refreshed")


def test_downloaded_csv_equals_the_table(server: str, page: Any) -> None:
    visit(page, server, "lot_inventory", "Lot inventory")
    headers, cells, total = table_rows(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").first.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    header, *body = list(csv.reader(io.StringIO(text)))
    assert total == len(body) > 0
    # the drawn columns are the first ones, link columns labelled with spaces for underscores
    assert [h.replace(" ", "_") for h in headers] == header[: len(headers)]
    assert cells == [row[: len(headers)] for row in body[: len(cells)]]


def test_selected_rows_lead_to_a_bulk_action(server: str, page: Any) -> None:
    visit(page, server, "billing_failures", "Billing failures")
    table_rows(page)  # wait until the grid has drawn its rows
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    # the row-marker checkbox of the first data row: left edge, below the 35 px header row
    page.mouse.click(box["x"] + 15, box["y"] + 52)
    button = page.get_by_role("link", name=re.compile(r"Act on 1 selected target"))
    button.wait_for(timeout=30_000)
    href = button.get_attribute("href") or ""
    assert "action=bill_order" in href and "target=" in href
    shoot(page, "billing_failures-selected")
    # this server runs as a real account without login, where the actions page explains that
    # actions are disabled (tests/actions covers planning from a deep link in demo mode)
    visit(page, server, href.lstrip("/"), "Recovery actions")
    assert page.url.endswith(href)
