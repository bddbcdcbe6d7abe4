"""AppTest of every dashboard page against a real emulator and a real, refreshed DuckDB cache.

The app reads its settings from the environment (as in production): the emulator's account,
base URL and TBA credentials, and a temporary data_dir refreshed once through `refresh.refresh`.
Expected numbers are computed independently with SQL over the cached snapshots (not with the
views' pandas code), and live lookups are checked against the emulator's own tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from e2e.dashenv import SECRET_FIELDS, emulator_env, environment, refresh_all
from streamlit.testing.v1 import AppTest

from suiteops.cache import Cache
from suiteops.cli.dashboard import streamlit_command
from suiteops.ui.layout import DEMO_TEXT
from suiteops.ui.navigation import SECTIONS
from suiteops.views.registry import VIEWS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = [entry.path for _, entries in SECTIONS for entry in entries]


@pytest.fixture(scope="module")
def data_dir(emulator: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data_dir refreshed once from the emulator; the environment points the app at both."""
    folder = tmp_path_factory.mktemp("dashboard")
    with environment(emulator_env(emulator, folder)):
        refresh_all()
        yield folder


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def cache(data_dir: Path) -> Iterator[Cache]:
    """An independent reader of the same cache the app reads."""
    reader = Cache(data_dir)
    yield reader
    reader.close()


def sql(cache: Cache, query: str, text: str, params: list[Any] | None = None) -> list[Any]:
    """The first row of `text` over the snapshot of `query`."""
    snap = cache.read(query)
    assert snap is not None, f"{query} was not refreshed"
    return list(snap.query(text, params).iloc[0])


def open_page(path: str) -> AppTest:
    """Run page `path` (AppTest runs a page switched to before the first run on its own,
    without app.py's sidebar: the app itself is tested by the first-start tests)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, float | str]:
    """The page's metrics by label, numbers parsed back from their formatted text."""
    out: dict[str, float | str] = {}
    for metric in at.metric:
        text = str(metric.value).replace(",", "")
        try:
            out[metric.label] = float(text)
        except ValueError:
            out[metric.label] = str(metric.value)
    return out


def all_text(at: AppTest) -> str:
    """Every protobuf the page rendered but the tables' cached data, as text (to look for things
    that must not appear)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(node, "type", "") != "arrow_data_frame":
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_without_exception_or_secrets(
    data_dir: Path, emulator: Any, path: str
) -> None:
    at = open_page(path)
    assert at.title, f"{path} shows no title"
    assert not at.error, [e.value for e in at.error]
    text = all_text(at)
    for name in SECRET_FIELDS:
        assert getattr(emulator.config, name) not in text, f"{name} rendered on {path}"


def test_pending_fulfillment_numbers_equal_sql_over_the_cache(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/pending_fulfillment.py")
    rows, orders, amount, units, oldest = sql(
        cache,
        "pending_fulfillment",
        "SELECT count(*), count(DISTINCT so_id), sum(open_amount), sum(open_qty), max(age_days)"
        " FROM rows",
    )
    shown = metrics(at)
    assert shown["Rows"] == rows and shown["Orders"] == orders
    assert shown["Amount"] == pytest.approx(float(amount), abs=0.005)
    assert shown["Units"] == pytest.approx(float(units))
    assert shown["Oldest (d)"] == oldest
    assert len(at.dataframe[0].value) == rows
    assert "Demo data" not in all_text(at)


def test_pending_fulfillment_table_links_to_netsuite_and_shopify(
    data_dir: Path, emulator: Any
) -> None:
    at = open_page("app_pages/pending_fulfillment.py")
    table = at.dataframe[0].value
    first = table.iloc[0]
    slug = emulator.account.lower().replace("_", "-")
    assert first["sales_order"] == (
        f"https://{slug}.app.netsuite.com/app/accounting/transactions/salesord.nl"
        f"?id={first['so_id']}#{first['so_number']}"
    )
    assert first["item_record"].endswith(
        f"/app/common/item/item.nl?id={first['item_id']}#{first['sku']}"
    )
    assert first["shopify_order"].startswith("https://admin.shopify.com/store/demo-store/orders/")
    config = str(at.dataframe[0].proto.columns)
    assert "link" in config.lower() and "sales_order" in config


def test_location_filter_changes_the_numbers(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/pending_fulfillment.py")
    location = sql(
        cache,
        "pending_fulfillment",
        "SELECT location_name FROM rows GROUP BY 1 ORDER BY count(*) ASC, 1 LIMIT 1",
    )[0]
    at.multiselect(key="pending_fulfillment-loc").select(location).run()
    assert not at.exception
    rows, orders, amount = sql(
        cache,
        "pending_fulfillment",
        "SELECT count(*), count(DISTINCT so_id), sum(open_amount) FROM rows"
        " WHERE location_name = ?",
        [location],
    )
    shown = metrics(at)
    assert (shown["Rows"], shown["Orders"]) == (rows, orders)
    assert shown["Amount"] == pytest.approx(float(amount), abs=0.005)
    assert set(at.dataframe[0].value["location_name"]) == {location}


def test_age_and_channel_filters_change_the_numbers(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/billing_failures.py")
    at.multiselect(key="billing_failures-age").select("> 30 d").run()
    channel = sql(cache, "billing_failures", "SELECT min(channel) FROM rows")[0]
    at.multiselect(key="billing_failures-channel").select(channel).run()
    assert not at.exception
    rows, amount = sql(
        cache,
        "billing_failures",
        "SELECT count(*), sum(unbilled_amount) FROM rows WHERE age_days > 30 AND channel = ?",
        [channel],
    )
    shown = metrics(at)
    assert shown["Rows"] == rows
    assert shown["Amount"] == pytest.approx(float(amount or 0), abs=0.005)


def test_tracking_toggle_shows_only_fulfillments_without_tracking(
    data_dir: Path, cache: Cache
) -> None:
    at = open_page("app_pages/tracking.py")
    at.toggle(key="fulfillment_tracking-only-exceptions").set_value(True).run()
    (missing,) = sql(
        cache, "fulfillment_tracking", "SELECT count(*) FROM rows WHERE NOT has_tracking"
    )
    assert metrics(at)["Rows"] == missing
    assert not at.dataframe[0].value["has_tracking"].any()


def test_overview_tiles_equal_the_cached_snapshots(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/overview.py")
    shown = metrics(at)
    (rows,) = sql(cache, "pending_fulfillment", "SELECT count(*) FROM rows")
    assert shown["Pending fulfillment"] == rows
    (rows,) = sql(cache, "billing_failures", "SELECT count(*) FROM rows")
    assert shown["Billing failures"] == rows
    captions = " ".join(c.value for c in at.caption)
    (amount,) = sql(cache, "billing_failures", "SELECT sum(unbilled_amount) FROM rows")
    assert f"Amount {float(amount):,.2f}" in captions
    (missing,) = sql(
        cache,
        "fulfillment_tracking",
        "SELECT count(DISTINCT if_id) FROM rows WHERE NOT has_tracking",
    )
    assert f"**{missing:,}** to act on: shipped without tracking" in captions
    assert len(at.get("page_link")) == len(shown)


def test_exceptions_inbox_counts_every_type(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/exceptions.py")
    shown = metrics(at)
    (billing,) = sql(cache, "billing_failures", "SELECT count(DISTINCT so_id) FROM rows")
    (partial,) = sql(cache, "partially_fulfilled", "SELECT count(DISTINCT so_id) FROM rows")
    (stuck,) = sql(
        cache, "pending_fulfillment", "SELECT count(DISTINCT so_id) FROM rows WHERE age_days >= 3"
    )
    assert shown["Billing failed"] == billing
    assert shown["Partially fulfilled"] == partial
    assert shown["Stuck in pending fulfillment"] == stuck
    box = at.dataframe[0].value
    assert len(box) == shown["Exceptions"]
    bills = box[box["action"] == "bill_order"]
    assert bills["act"].str.match(r"^/actions\?action=bill_order&target=\d+#").all()
    at.multiselect(key="inbox-types").select("Billing failed").run()
    assert metrics(at)["Exceptions"] == billing


def test_reconciliation_totals_and_mismatches(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/reconciliation.py")
    orders, ordered, billed, wrong = sql(
        cache,
        "reconciliation",
        "SELECT count(*), sum(order_total), sum(billed_amount),"
        " count(*) FILTER (WHERE abs(order_total - billed_amount) > 0.005) FROM rows",
    )
    shown = metrics(at)
    assert shown["Orders"] == orders and shown["Mismatched orders"] == wrong
    assert shown["Ordered"] == pytest.approx(float(ordered), abs=0.005)
    assert shown["Billed"] == pytest.approx(float(billed), abs=0.005)
    daily, mismatched = at.dataframe[0].value, at.dataframe[1].value
    assert daily["orders"].sum() == orders and len(mismatched) == wrong
    (days,) = sql(cache, "reconciliation", "SELECT count(DISTINCT (trandate, channel)) FROM rows")
    assert len(daily) == days


def test_admin_pages_list_queries_and_runs(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/queries.py")
    table = at.dataframe[0].value
    assert {"pending_fulfillment", "order_search", "reconciliation"} <= set(table["query"])
    assert metrics(at)["Stale"] == 0
    at = open_page("app_pages/runs.py")
    runs = at.dataframe[0].value
    assert set(runs["query"]) >= {"pending_fulfillment", "billing_failures"}
    assert metrics(at)["Runs"] == len(cache.runs(limit=500))


def test_refresh_button_publishes_a_new_snapshot(data_dir: Path, cache: Cache) -> None:
    before = cache.read("lot_inventory_gaps")
    assert before is not None
    at = open_page("app_pages/lot_inventory.py")
    at.button(key="lot_inventory_gaps-refresh").click().run()
    assert not at.exception
    after = cache.read("lot_inventory_gaps")
    assert after is not None and after.meta.run_id != before.meta.run_id
    assert any("Refreshed 1 of 1 queries" in s.proto.label for s in at.status)


def test_downloads_page_offers_exactly_the_filtered_rows(data_dir: Path, cache: Cache) -> None:
    at = open_page("app_pages/downloads.py")
    at.selectbox(key="downloads-dataset").select("Orders that failed billing").run()
    (rows,) = sql(cache, "billing_failures", "SELECT count(*) FROM rows")
    assert len(at.dataframe[0].value) == rows
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download XLSX"]


def _order_with_tracking(emulator: Any) -> dict[str, str]:
    row = emulator.sql(
        "SELECT so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id, c.email,"
        " tn.trackingnumber, so.id"
        " FROM transaction so JOIN customer c ON c.id = so.entity"
        " JOIN transactionline fm ON fm.createdfrom = so.id AND fm.mainline = 'T'"
        " JOIN trackingnumbermap m ON m.transaction = fm.transaction"
        " JOIN trackingnumber tn ON tn.id = m.trackingnumber"
        " WHERE so.type = 'SalesOrd' AND c.email IS NOT NULL"
        " AND (SELECT count(*) FROM transaction s2 WHERE s2.entity = so.entity"
        "      AND s2.type = 'SalesOrd') = 1"
        " ORDER BY so.id LIMIT 1"
    )[0]
    keys = ("so_number", "order_name", "order_id", "email", "tracking", "so_id")
    return dict(zip(keys, map(str, row), strict=True))


def test_order_lookup_finds_the_order_by_each_kind_of_term(data_dir: Path, emulator: Any) -> None:
    order = _order_with_tracking(emulator)
    (fulfillments,) = emulator.sql(
        "SELECT count(DISTINCT transaction) FROM transactionline"
        " WHERE createdfrom = ? AND mainline = 'T' AND transaction IN"
        " (SELECT id FROM transaction WHERE type = 'ItemShip')",
        [int(order["so_id"])],
    )[0]
    at = open_page("app_pages/order_lookup.py")
    for field in ("order_name", "order_id", "so_number", "email", "tracking"):
        at.text_input(key="lookup-term").input(order[field])
        at.button[0].click().run()
        assert not at.exception and not at.error, (field, [e.value for e in at.error])
        assert order["so_number"] in at.subheader[0].value, field
        timeline = at.dataframe[0].value
        assert timeline["event"].iloc[0] == "Order created", field
        shipped = timeline[timeline["event"] == "Fulfillment"]
        assert shipped["tracking_numbers"].str.contains(order["tracking"], regex=False).any()
        assert len(shipped) == fulfillments == metrics(at)["Fulfillments"], field


def test_order_lookup_says_when_nothing_matches(data_dir: Path) -> None:
    at = open_page("app_pages/order_lookup.py")
    at.text_input(key="lookup-term").input("no-such-order-zz9")
    at.button[0].click().run()
    assert "No sales order matches" in at.warning[0].value


def test_demo_banner_in_demo_mode_only() -> None:
    def page(demo: bool) -> None:
        from suiteops.config import load_settings
        from suiteops.ui.layout import demo_banner

        env = {} if demo else {"SUITEOPS_NETSUITE_ACCOUNT": "123"}
        demo_banner(load_settings(env, toml_path=None))

    demo = AppTest.from_function(page, kwargs={"demo": True}).run()
    assert DEMO_TEXT in demo.info[0].value
    real = AppTest.from_function(page, kwargs={"demo": False}).run()
    assert not real.info


def test_dashboard_command_runs_streamlit_headless_on_loopback() -> None:
    cmd = streamlit_command(8600, "127.0.0.1")
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app.py")
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert flags == {
        "--server.headless": "true",
        "--server.port": "8600",
        "--server.address": "127.0.0.1",
        "--server.fileWatcherType": "none",
        "--browser.gatherUsageStats": "false",
    }


def test_a_broken_setting_is_shown_not_raised(tmp_path: Path) -> None:
    with environment(
        {
            "SUITEOPS_DATA_DIR": str(tmp_path),
            "SUITEOPS_NETSUITE_ACCOUNT": "1",
            "SUITEOPS_FIELD_CHANNEL": "channel; DROP TABLE x",
        }
    ):
        at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "SuiteOps cannot start" in at.error[0].value and "fields.channel" in at.error[0].value


def _event(position: int, done: bool = False, pages: tuple[int, int] | None = None) -> Any:
    from suiteops.cache import RunMode, RunStatus
    from suiteops.netsuite.paging import Progress
    from suiteops.refresh import QueryProgress

    progress = None if pages is None else Progress(pages[0], pages[1], pages[0] * 1000, 7412, 0)
    record = None
    if done:
        record = type("Done", (), {"status": RunStatus.OK, "rows": 7412})()
    return QueryProgress("pending_fulfillment", position, 4, RunMode.FULL, progress, record)


def test_refresh_progress_fraction_and_text() -> None:
    from suiteops.ui.refresh import progress_fraction, progress_text

    assert progress_fraction(_event(1)) == 0.0
    assert progress_fraction(_event(2, pages=(3, 8))) == pytest.approx((1 + 3 / 8) / 4)
    assert progress_fraction(_event(4, done=True)) == 1.0
    assert progress_fraction(_event(3, pages=(5, 0))) == 0.5
    assert progress_text(_event(1)) == "pending_fulfillment (1/4): starting (full)"
    assert progress_text(_event(2, pages=(3, 8))) == (
        "pending_fulfillment (2/4): 3,000 of 7,412 rows"
    )
    assert progress_text(_event(4, done=True)) == "pending_fulfillment (4/4) ok: 7,412 rows"


def test_refresh_button_says_so_when_another_refresh_holds_the_lock(
    data_dir: Path, cache: Cache
) -> None:
    from suiteops.refresh import single_flight

    before = cache.read("billing_failures")
    at = open_page("app_pages/billing_failures.py")
    with single_flight(data_dir, ["pending_fulfillment"]):
        at.button(key="billing_failures-refresh").click().run()
    assert not at.exception
    label = at.status[0].proto.label
    assert label.startswith("Not started: another refresh is already running")
    assert "pending_fulfillment" in label
    after = cache.read("billing_failures")
    assert before is not None and after is not None and after.meta.run_id == before.meta.run_id


def test_order_lookup_lets_you_pick_among_several_orders(data_dir: Path, emulator: Any) -> None:
    email, count = emulator.sql(
        "SELECT c.email, count(*) FROM transaction so JOIN customer c ON c.id = so.entity"
        " WHERE so.type = 'SalesOrd' AND c.email IS NOT NULL"
        " GROUP BY c.email HAVING count(*) BETWEEN 2 AND 5 ORDER BY c.email LIMIT 1"
    )[0]
    numbers = [r[0] for r in emulator.sql(
        "SELECT so.tranid FROM transaction so JOIN customer c ON c.id = so.entity"
        " WHERE so.type = 'SalesOrd' AND c.email = ? ORDER BY so.id", [email]
    )]  # fmt: skip
    at = open_page("app_pages/order_lookup.py")
    at.text_input(key="lookup-term").input(email.upper())
    at.button[0].click().run()
    picker = at.selectbox(key="lookup-pick")
    assert len(picker.options) == count == len(numbers)
    assert numbers[0] in at.subheader[0].value
    picker.select_index(count - 1).run()
    assert numbers[-1] in at.subheader[0].value
    assert at.dataframe[0].value["document"].iloc[0] == numbers[-1]


def test_actionable_tables_offer_bulk_actions_on_selected_rows(
    data_dir: Path, cache: Cache
) -> None:
    at = open_page("app_pages/billing_failures.py")
    assert not at.exception
    assert any("Select rows to run a recovery action" in c.value for c in at.caption)
    at = open_page("app_pages/queries.py")
    assert not any("Select rows to run a recovery action" in c.value for c in at.caption)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_chart_has_data_on_the_demo_account(name: str, cache: Cache) -> None:
    snap = cache.read(name)
    assert snap is not None, f"{name} was not refreshed"
    for make in VIEWS[name].figures:
        fig = make(snap.frame())
        points = sum(len(trace.x if trace.x is not None else ()) for trace in fig.data)
        assert points > 0, f"{name}: chart {fig.layout.title.text!r} is empty"
