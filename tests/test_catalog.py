"""The query catalog: headers, typed params, every static check with its file:line, the lock.

Bad files are written into tmp_path as variants of one valid query (`BASE`), so each case says
exactly what changed and where the problem must be reported. Lines of `BASE`:
1 title, 2 description, 3 version, 4 params, 5 columns, 6 key, 7 refresh, 8 SELECT,
9 so_number, 10 trandate, 11 FROM, 12 WHERE, 13 AND, 14 ORDER BY.
"""

# One line per case: the parametrize tables read best unwrapped.
# ruff: noqa: E501

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suiteops.catalog import (
    Catalog,
    ParamSpec,
    Problem,
    QuerySpec,
    check_catalog,
    inspect_file,
    load_catalog,
    update_lock,
)
from suiteops.catalog.header import parse_header
from suiteops.catalog.lock import checksum, normalise, pieces
from suiteops.catalog.params import resolve_relative_date
from suiteops.config import ConnectorFields
from suiteops.errors import ConfigError, ParameterError, QueryFileError, VersionLockError
from suiteops.models import ColumnSpec, ColumnType

QUERIES = Path(__file__).resolve().parents[1] / "queries"
TODAY = date(2026, 3, 15)

BASE = """\
-- title: Open orders
-- description: Orders placed since a date, optionally at one location.
-- version: 1
-- params: since date default -30d; location_id int optional
-- columns: so_id int; so_number text; trandate date
-- key: so_id
-- refresh: 15m
SELECT so.id AS so_id,
       so.tranid AS so_number,
       TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate
FROM transaction so
WHERE so.trandate >= TO_DATE(:since, 'YYYY-MM-DD')
  AND (:location_id IS NULL OR so.id = :location_id)
ORDER BY so.id
"""


def variant(old: str, new: str, text: str = BASE) -> str:
    """`text` with one exact change (the change must apply)."""
    assert old in text, f"{old!r} not in the base query"
    return text.replace(old, new, 1)


def write(directory: Path, text: str, name: str = "open_orders") -> Path:
    path = directory / f"{name}.sql"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def qdir(tmp_path: Path) -> Path:
    """A query directory holding BASE with its lock written."""
    write(tmp_path, BASE)
    update_lock(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def real() -> Catalog:
    """The project's own queries/ directory, loaded once."""
    return load_catalog(QUERIES)


def file_problems(directory: Path) -> list[Problem]:
    """The non-lock problems of the directory."""
    return [p for p in check_catalog(directory) if not p.version_lock]


# --- the valid base and the real queries -----------------------------------------------------


def test_base_query_loads_with_every_header_field(qdir: Path) -> None:
    assert check_catalog(qdir) == []
    spec = load_catalog(qdir)["open_orders"]
    assert (spec.name, spec.title, spec.version, spec.key) == (
        "open_orders",
        "Open orders",
        1,
        "so_id",
    )
    assert spec.columns == (
        ColumnSpec("so_id", ColumnType.INT),
        ColumnSpec("so_number", ColumnType.TEXT),
        ColumnSpec("trandate", ColumnType.DATE),
    )
    assert spec.params == (
        ParamSpec("since", ColumnType.DATE, False, "-30d"),
        ParamSpec("location_id", ColumnType.INT, True, None),
    )
    assert spec.refresh == timedelta(minutes=15) and not spec.live
    assert spec.sql_line == 8 and spec.template.startswith("SELECT so.id AS so_id,")
    assert spec.param_types == {"since": ColumnType.DATE, "location_id": ColumnType.INT}


def test_the_real_queries_directory_has_no_problems() -> None:
    assert [str(p) for p in check_catalog(QUERIES)] == []


def test_the_real_catalog_has_every_query_the_views_need(real: Catalog) -> None:
    catalog = real
    expected = {
        "pending_fulfillment", "partially_fulfilled", "fulfillment_tracking", "billing_failures",
        "lot_inventory_gaps", "lot_assignment_missing", "order_search", "order_timeline",
        "reconciliation",
    }  # fmt: skip
    assert expected <= set(catalog)
    assert list(catalog) == sorted(catalog)
    assert {n for n, s in catalog.items() if s.live} == {"order_search", "order_timeline"}
    for spec in catalog.values():
        assert spec.title and len(spec.description) > 40, spec.name
        assert spec.key in {c.name for c in spec.columns}, spec.name


def test_specs_are_values_equal_and_hashable_across_loads(real: Catalog) -> None:
    again = load_catalog(QUERIES)
    assert {hash(spec) for spec in real.values()} == {hash(spec) for spec in again.values()}
    assert dict(real) == dict(again)


def test_catalog_is_a_read_only_mapping_with_a_helpful_key_error(qdir: Path) -> None:
    catalog = load_catalog(qdir)
    assert isinstance(catalog, Catalog) and len(catalog) == 1
    with pytest.raises(KeyError, match=r"no query named 'nope'.*known: open_orders"):
        catalog["nope"]


# --- header parsing, one line per case -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("-- refresh: 15m", "-- refresh: 15m\n-- colour: blue", 8, "unknown header key 'colour'"),
        ("-- key: so_id", "-- key: so_id\n-- key: so_number", 7, "duplicate header key 'key' (first on line 6)"),
        ("-- version: 1", "-- version: three", 3, "version must be a positive integer, got 'three'"),
        ("-- version: 1", "-- version: 0", 3, "version must be a positive integer"),
        ("-- version: 1", "-- version: 1.5", 3, "version must be a positive integer"),
        ("-- refresh: 15m", "-- refresh: 15x", 7, "refresh must be like 30s, 15m, 1h, 1d or `live`"),
        ("-- refresh: 15m", "-- refresh: 0m", 7, "refresh must be like"),
        ("so_number text;", "so_number texty;", 5, "column 'so_number': unknown column type 'texty'"),
        ("so_number text;", "so_number;", 5, "bad column 'so_number'"),
        ("so_number text;", "so_id text;", 5, "column 'so_id' declared twice"),
        ("location_id int optional", "location_id int sometimes", 4, "bad parameter"),
        ("since date default -30d", "since date default soon", 4, "bad default"),
        ("since date default -30d", "since dated", 4, "parameter 'since': unknown column type"),
        ("-- refresh: 15m", "-- refresh: 15m\n-- kpi: total=so_id", 8, "bad kpi entry 'total=so_id'"),
        ("-- title: Open orders", "-- title:", 1, "`-- title:` is empty"),
        ("-- title: Open orders", "-- Title Open orders", 1, "bad header line"),
        ("-- key: so_id\n", "", 1, "missing header key `-- key:`"),
        ("-- columns: so_id int; so_number text; trandate date\n", "", 1, "missing header key `-- columns:`"),
    ],
)  # fmt: skip
def test_header_problem(qdir: Path, old: str, new: str, line: int, message: str) -> None:
    path = write(qdir, variant(old, new))
    found = [(p.path, p.line) for p in file_problems(qdir) if message in p.message]
    assert found == [(str(path), line)], [str(p) for p in check_catalog(qdir)]


def test_header_continuation_lines_extend_the_previous_value() -> None:
    text = "-- columns: a int;\n--     b text; c date\n-- key: a\nSELECT 1 FROM dual\n"
    header, _ = parse_header(text, "x.sql")
    assert [c.name for c in header.columns] == ["a", "b", "c"]
    assert header.end_line == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30s", timedelta(seconds=30)), ("15m", timedelta(minutes=15)), ("1h", timedelta(hours=1)),
     ("1d", timedelta(days=1)), ("live", None), ("LIVE", None)],
)  # fmt: skip
def test_refresh_interval(text: str, expected: timedelta | None) -> None:
    header, problems = parse_header(f"-- refresh: {text}\n", "x.sql")
    assert header.refresh == expected
    assert not [p for p in problems if "refresh" in p.message]


def test_kpi_parts() -> None:
    header, _ = parse_header("-- kpi: amount=open_amount; group=location_name\n", "x.sql")
    assert (header.kpi.amount, header.kpi.group) == ("open_amount", "location_name")


# --- SQL checks with file:line:column ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        ("  AND (:location_id", "  AND ((:location_id", 14, None, "SuiteQL syntax error"),
        ("ORDER BY so.id", "ORDER BY so.id;\nSELECT 1 FROM dual", None, None, "one statement expected, found 2"),
        ("ORDER BY so.id\n", "", None, None, "no top-level ORDER BY"),
        ("ORDER BY so.id", "ORDER BY so.tranid", 14, 1, "ORDER BY (tranid) is not unique: it must include the key 'so_id'"),
        ("so.id = :location_id", "so.id = :loc", 13, 40, "placeholder :loc is not declared"),
        ("(:location_id IS NULL OR so.id = :location_id)", "1 = 1", 4, None, "declared parameter 'location_id' is not used"),
        ("       so.tranid AS so_number,\n", "", 5, None, "declared column(s) so_number not in the SELECT list"),
        ("so.tranid AS so_number,", "so.tranid AS so_number, so.memo AS memo,", 5, None, "SELECT returns undeclared column(s) memo"),
        ("so_number text; trandate date", "trandate date; so_number text", 5, None, "different order"),
        ("-- key: so_id", "-- key: id", 6, None, "`-- key:` names 'id', which is not a declared column"),
        ("-- refresh: 15m", "-- refresh: 15m\n-- kpi: amount=total", 8, None, "`-- kpi:` names 'total'"),
        ("SELECT so.id AS so_id,", "WITH x AS (SELECT 1 AS a FROM dual)\nSELECT so.id AS so_id,", 8, 1, "WITH (common table expressions) is not allowed"),
        ("ORDER BY so.id", "ORDER BY so.id LIMIT 10", 14, 16, "LIMIT is not SuiteQL"),
        ("ORDER BY so.id", "ORDER BY so.id\nFETCH FIRST 10 ROWS ONLY", 15, 1, "FETCH FIRST is not SuiteQL"),
        ("TO_DATE(:since, 'YYYY-MM-DD')", "DATE '2026-01-01' AND so.trandate >= TO_DATE(:since, 'YYYY-MM-DD')", 12, 22, "date literals are not allowed"),
        ("so.tranid AS so_number", "LISTAGG(so.tranid, ',') AS so_number", 9, 8, "LISTAGG is not supported"),
        ("FROM transaction so", "FROM transaction so, customer c", 11, None, None),
        ("(:location_id IS NULL OR so.id = :location_id)", "(:location_id IS NULL OR so.id(+) = :location_id)", 13, 37, "outer-join marker (+)"),
        ("SELECT so.id AS so_id,\n       so.tranid AS so_number,\n       TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate", "SELECT *", 5, None, "SELECT * is not allowed"),
        ("so.tranid AS so_number", "so.{{shop_name}} AS so_number", 9, 11, "unknown connector field {{shop_name}}"),
        ("TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate", "so.trandate AS trandate", 5, None, "date column 'trandate' is not formatted"),
        ("TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate", "NVL(so.trandate, so.createddate) AS trandate", 5, None, "date column 'trandate' is not formatted"),
    ],
)  # fmt: skip
def test_sql_problem(
    qdir: Path, old: str, new: str, line: int | None, column: int | None, message: str | None
) -> None:
    path = write(qdir, variant(old, new))
    problems = file_problems(qdir)
    if message is None:  # a control: the change is harmless
        assert problems == []
        return
    found = [p for p in problems if message in p.message]
    assert found, [str(p) for p in problems]
    if line is None:  # "no ORDER BY" points at the end of the statement
        assert found[0].path == str(path)
        return
    assert (found[0].path, found[0].line) == (str(path), line), str(found[0])
    if column is not None:
        assert found[0].column == column, str(found[0])


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM transaction WHERE id = :since AND id = :location_id",
        "UPDATE transaction SET memo = 'x' WHERE id = :since AND id = :location_id",
        "INSERT INTO transaction (id) SELECT :since FROM dual WHERE 1 = :location_id",
    ],
)
def test_only_a_select_is_accepted(qdir: Path, statement: str) -> None:
    header = "".join(BASE.splitlines(keepends=True)[:7])
    path = write(qdir, header + statement + "\n")
    found = [p for p in file_problems(qdir) if "only a single SELECT is allowed" in p.message]
    assert [(p.path, p.line) for p in found] == [(str(path), 8)]


def test_group_by_builtin_df_is_reported_at_its_position(qdir: Path) -> None:
    text = variant("so.tranid AS so_number", "MAX(so.tranid) AS so_number")
    text = variant("TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate", "NULL AS trandate", text)
    text = variant("ORDER BY so.id", "GROUP BY so.id, BUILTIN.DF(so.entity)\nORDER BY so.id", text)
    path = write(qdir, text)
    found = [p for p in file_problems(qdir) if "GROUP BY on BUILTIN.DF" in p.message]
    assert [(p.path, p.line, p.column) for p in found] == [(str(path), 14, 17)]


@pytest.mark.parametrize(
    "change",
    [
        (
            "'YYYY-MM-DD') AS trandate",
            "'YYYY-MM-DD') AS trandate -- LIMIT 5, WITH, DATE '2026-01-01'",
        ),
        ("so.tranid AS so_number", "NVL(so.tranid, 'LIMIT 5 WITH LISTAGG(') AS so_number"),
        ("FROM transaction so", "/* FETCH FIRST (+) */ FROM transaction so"),
    ],
)
def test_forbidden_words_in_comments_and_strings_are_fine(
    qdir: Path, change: tuple[str, str]
) -> None:
    write(qdir, variant(*change))
    assert file_problems(qdir) == []


def test_a_date_from_a_derived_table_is_trusted_to_be_formatted_inside(qdir: Path) -> None:
    text = variant("TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate", "d.day AS trandate")
    text = variant(
        "FROM transaction so",
        "FROM transaction so\nJOIN (SELECT t.id, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS day FROM transaction t) d ON d.id = so.id",
        text,
    )
    write(qdir, text)
    assert file_problems(qdir) == []


def test_order_by_problem_points_at_the_real_order_by(qdir: Path) -> None:
    text = variant("ORDER BY so.id", "ORDER  BY so.tranid -- not ORDER BY so.id")
    write(qdir, variant("FROM transaction so", "FROM transaction so /* ORDER BY x */", text))
    found = [p for p in file_problems(qdir) if "is not unique" in p.message]
    assert [(p.line, p.column) for p in found] == [(14, 1)]


def test_order_by_may_name_the_key_by_alias_or_ordinal(qdir: Path) -> None:
    for order in ("ORDER BY so_id", "ORDER BY 1", "ORDER BY so.trandate DESC, so.id"):
        write(qdir, variant("ORDER BY so.id", order))
        assert file_problems(qdir) == [], order


def test_incremental_needs_a_datetime_column_and_the_modified_after_param(qdir: Path) -> None:
    text = variant("-- refresh: 15m", "-- refresh: 15m\n-- incremental: so_number")
    write(qdir, text)
    messages = [(p.line, p.message) for p in file_problems(qdir)]
    assert (8, "incremental column 'so_number' must be a date or datetime column") in messages
    assert any(line == 8 and "modified_after datetime optional" in m for line, m in messages)


def test_a_valid_incremental_query(qdir: Path) -> None:
    text = variant("-- refresh: 15m", "-- refresh: 15m\n-- incremental: trandate")
    text = variant(
        "location_id int optional",
        "location_id int optional; modified_after datetime optional",
        text,
    )
    text = variant(
        "ORDER BY",
        "  AND (:modified_after IS NULL OR so.lastmodifieddate >= :modified_after)\nORDER BY",
        text,
    )
    write(qdir, variant("-- version: 1", "-- version: 2", text))
    assert file_problems(qdir) == []
    update_lock(qdir)
    assert load_catalog(qdir)["open_orders"].incremental == "trandate"


def test_every_problem_of_every_file_is_collected(qdir: Path) -> None:
    write(qdir, variant("-- version: 1", "-- version: x"), name="bad_one")
    write(qdir, variant("ORDER BY so.id", "ORDER BY so.tranid"), name="bad_two")
    paths = {Path(p.path).name for p in check_catalog(qdir)}
    assert {"bad_one.sql", "bad_two.sql"} <= paths


def test_load_catalog_raises_the_first_problem_with_file_and_line(qdir: Path) -> None:
    path = write(qdir, variant("so.id = :location_id", "so.id = :loc"))
    with pytest.raises(QueryFileError) as caught:
        load_catalog(qdir)
    assert str(caught.value).startswith(f"{path}:13:")
    assert (caught.value.path, caught.value.line) == (str(path), 13)


def test_crlf_line_endings_and_a_bom_are_read_like_plain_files(qdir: Path) -> None:
    path = qdir / "open_orders.sql"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    assert check_catalog(qdir) == []  # same checksum too: only layout changed
    path.write_bytes(
        b"\xef\xbb\xbf"
        + variant("so.id = :location_id", "so.id = :loc").replace("\n", "\r\n").encode()
    )
    assert [(p.line, p.column) for p in file_problems(qdir)] == [(13, 40)]


def test_a_file_name_must_be_a_query_name(qdir: Path) -> None:
    write(qdir, BASE, name="Open Orders")
    found = [p for p in file_problems(qdir) if "file name 'Open Orders.sql'" in p.message]
    assert len(found) == 1 and found[0].path.endswith("Open Orders.sql")


def test_load_catalog_of_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(QueryFileError, match="query directory not found"):
        load_catalog(tmp_path / "nowhere")


# --- the lock ----------------------------------------------------------------------------------


def lock_problems(directory: Path) -> list[Problem]:
    return [p for p in check_catalog(directory) if p.version_lock]


def test_text_changed_without_a_version_bump(qdir: Path) -> None:
    path = write(qdir, variant("so.tranid AS so_number", "UPPER(so.tranid) AS so_number"))
    [problem] = lock_problems(qdir)
    assert (problem.path, problem.line) == (str(path), 3)
    assert problem.message == (
        "text changed but `-- version:` is still 1: bump `-- version:` to 2 and run "
        "suiteops queries lock"
    )
    with pytest.raises(VersionLockError, match=r"open_orders.sql:3: text changed"):
        load_catalog(qdir)
    with pytest.raises(VersionLockError, match="bump `-- version:` to 2"):
        update_lock(qdir)


def test_bumped_version_needs_the_lock_then_passes(qdir: Path) -> None:
    text = variant("so.tranid AS so_number", "UPPER(so.tranid) AS so_number")
    write(qdir, variant("-- version: 1", "-- version: 2", text))
    [problem] = lock_problems(qdir)
    assert "versions.lock entry is stale (version 1, file has 2)" in problem.message
    update_lock(qdir)
    assert check_catalog(qdir) == []
    assert load_catalog(qdir)["open_orders"].version == 2


def test_version_going_down_is_refused(qdir: Path) -> None:
    write(qdir, variant("-- version: 1", "-- version: 2"))
    update_lock(qdir)
    write(qdir, BASE)
    [problem] = lock_problems(qdir)
    assert "version 1 is lower than 2 in versions.lock" in problem.message
    with pytest.raises(VersionLockError, match="versions only go up"):
        update_lock(qdir)


def test_lock_missing_entry_and_stale_entry(qdir: Path) -> None:
    write(qdir, BASE, name="second")
    (qdir / "open_orders.sql").unlink()
    problems = {(Path(p.path).name, p.line, p.message) for p in lock_problems(qdir)}
    assert ("second.sql", 3, "not in versions.lock: run suiteops queries lock") in problems
    assert any(
        name == "versions.lock" and line == 2 and "stale entry: there is no open_orders.sql" in m
        for name, line, m in problems
    )


def test_lock_file_missing_or_malformed(qdir: Path) -> None:
    lock = qdir / "versions.lock"
    lock.write_text(lock.read_text() + "open_orders one two\nopen_orders 1 " + "0" * 64 + "\n")
    messages = {(p.line, p.message.split(":")[0]) for p in lock_problems(qdir)}
    assert (3, "bad lock line") in messages
    assert (4, "duplicate entry 'open_orders'") in messages
    lock.unlink()
    assert [p.message for p in lock_problems(qdir)] == [
        "versions.lock is missing: run suiteops queries lock"
    ]
    with pytest.raises(VersionLockError, match=r"versions\.lock is missing"):
        load_catalog(qdir)
    assert load_catalog(qdir, check_lock=False)["open_orders"].version == 1


def test_update_lock_refuses_a_broken_query(qdir: Path) -> None:
    write(qdir, variant("ORDER BY so.id", "ORDER BY so.tranid"))
    with pytest.raises(QueryFileError, match="is not unique"):
        update_lock(qdir)


def test_lock_file_format(qdir: Path) -> None:
    write(qdir, BASE, name="another")
    update_lock(qdir)
    lines = (qdir / "versions.lock").read_text().splitlines()
    assert lines[0].startswith("#")
    names = [line.split()[0] for line in lines[1:]]
    assert names == ["another", "open_orders"]
    assert all(len(line.split()) == 3 and len(line.split()[2]) == 64 for line in lines[1:])


# --- checksum normalisation --------------------------------------------------------------------


def spec_of(directory: Path) -> QuerySpec:
    spec, _ = inspect_file(directory / "open_orders.sql")
    assert spec is not None
    return spec


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("SELECT so.id AS so_id,\n       so.tranid", "SELECT so.id AS so_id, so.tranid"),
        ("FROM transaction so", "FROM   transaction   so   -- the orders"),
        ("ORDER BY so.id", "/* unique, for paging */\nORDER BY so.id\n\n"),
        ("(:location_id IS NULL OR so.id = :location_id)", "( :location_id IS NULL OR so.id=:location_id )"),
        ("-- title: Open orders", "-- title: Orders still open"),
        ("-- refresh: 15m", "-- refresh: 1h"),
    ],
)  # fmt: skip
def test_checksum_ignores_layout_comments_and_presentation(qdir: Path, old: str, new: str) -> None:
    before = spec_of(qdir).checksum
    write(qdir, variant(old, new))
    assert spec_of(qdir).checksum == before
    assert lock_problems(qdir) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("so.tranid AS so_number", "so.tranid AS so_number_x"),
        ("'YYYY-MM-DD') AS trandate", "'YYYY-MM-DD' ) AS trandate"),  # control: same
        ("TO_CHAR(so.trandate, 'YYYY-MM-DD')", "TO_CHAR(so.trandate, 'YYYY-MM-DD ')"),
        ("-- columns: so_id int;", "-- columns: so_id decimal;"),
        ("since date default -30d", "since date default -60d"),
        ("-- key: so_id", "-- key: so_number"),
    ],
)
def test_checksum_changes_with_the_sql_and_the_declarations(qdir: Path, old: str, new: str) -> None:
    before = spec_of(qdir).checksum
    write(qdir, variant(old, new))
    after = spec_of(qdir).checksum
    assert (after == before) is (new == "'YYYY-MM-DD' ) AS trandate")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("SELECT a ,\n  b FROM t", "SELECT a,b FROM t", True),
        ("SELECT a -- note\nFROM t", "SELECT a FROM t", True),
        ("SELECT a /* x\n y */ FROM t", "SELECT a FROM t", True),
        ("SELECT 'a  b' FROM t", "SELECT 'a b' FROM t", False),
        ("SELECT '-- not a comment' FROM t", "SELECT '' FROM t", False),
        ("SELECT a FROM t", "SELECT a FROM u", False),
        ("SELECT a - 1 FROM t", "SELECT a-1 FROM t", True),
    ],
)  # fmt: skip
def test_normalise(a: str, b: str, same: bool) -> None:
    assert (normalise(a) == normalise(b)) is same


def test_checksum_is_account_independent() -> None:
    spec = load_catalog(QUERIES)["pending_fulfillment"]
    header, _ = parse_header(spec.path.read_text(), str(spec.path))
    assert "{{order_name}}" in spec.template
    assert checksum(spec.template, header) == spec.checksum
    other = ConnectorFields(order_name="custbody_shop_order_name")
    assert spec.sql(other) != spec.sql(ConnectorFields())  # the text sent differs, the pin not
    assert load_catalog(QUERIES, other)["pending_fulfillment"].checksum == spec.checksum


# --- connector fields --------------------------------------------------------------------------


def test_fields_are_substituted_as_identifiers(real: Catalog) -> None:
    spec = real["billing_failures"]
    default = spec.sql(ConnectorFields())
    assert "so.custbody_celigo_etail_auto_bill_exp" in default and "{{" not in default
    custom = spec.sql(ConnectorFields(auto_bill_flag="custbody_fa_autobill"))
    assert "so.custbody_fa_autobill" in custom
    assert "auto_bill_flag" in spec.fields_used


@pytest.mark.parametrize(
    "bad", ["otherrefnum; DROP TABLE x", "custbody_X", "entity", "custbody_a b", "1=1 OR x"]
)
def test_a_field_id_outside_the_allow_list_is_refused(real: Catalog, bad: str) -> None:
    with pytest.raises(ConfigError, match=r"fields\.order_name: .* is not an allowed field id"):
        real["pending_fulfillment"].sql(ConnectorFields(order_name=bad))


def test_check_and_load_refuse_a_bad_field_id() -> None:
    bad = ConnectorFields(channel="custbody_x; DELETE")
    assert [p.path for p in check_catalog(QUERIES, bad)] == ["fields.channel"]
    with pytest.raises(ConfigError, match=r"fields\.channel: 'custbody_x; DELETE'"):
        load_catalog(QUERIES, bad)


# --- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("today", TODAY), ("-90d", TODAY - timedelta(days=90)), ("+2w", TODAY + timedelta(days=14)),
     ("-12w", TODAY - timedelta(weeks=12)), ("+0d", TODAY), ("TODAY", TODAY), ("90d", None),
     ("-3m", None), ("2026-01-01", None), ("", None)],
)  # fmt: skip
def test_relative_dates(text: str, expected: date | None) -> None:
    assert resolve_relative_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (ColumnType.INT, "3", 3), (ColumnType.INT, " 42 ", 42), (ColumnType.INT, 7, 7),
        (ColumnType.INT, "5.0", 5), (ColumnType.DECIMAL, "1.50", Decimal("1.50")),
        (ColumnType.DECIMAL, 2, Decimal(2)), (ColumnType.DATE, "2026-01-02", date(2026, 1, 2)),
        (ColumnType.DATE, "-7d", date(2026, 3, 8)), (ColumnType.DATE, date(2025, 5, 5), date(2025, 5, 5)),
        (ColumnType.DATETIME, "2026-01-02T03:04:05", datetime(2026, 1, 2, 3, 4, 5)),
        (ColumnType.DATETIME, "today", datetime(2026, 3, 15)), (ColumnType.BOOL, "T", True),
        (ColumnType.BOOL, "false", False), (ColumnType.BOOL, True, True),
        (ColumnType.TEXT, "#1001", "#1001"), (ColumnType.TEXT, "", ""),
        (ColumnType.TEXT, 5480000007816, "5480000007816"),
    ],
)  # fmt: skip
def test_param_coercion(kind: ColumnType, value: object, expected: object) -> None:
    assert ParamSpec("p", kind).resolve(value, TODAY) == expected


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (ColumnType.INT, "abc", "expected an integer, got 'abc'"),
        (ColumnType.INT, "1.5", "expected an integer, got '1.5'"),
        (ColumnType.INT, True, "expected an integer, got True"),
        (ColumnType.INT, 2.0, "expected an integer, got 2.0"),
        (ColumnType.DECIMAL, "ten", "expected a number"),
        (ColumnType.DECIMAL, "NaN", "expected a finite number"),
        (ColumnType.DATE, "2026-13-01", "expected a date"),
        (ColumnType.DATE, "yesterday", "expected a date"),
        (ColumnType.DATETIME, "noon", "expected a datetime"),
        (ColumnType.BOOL, "maybe", "expected T/F"),
        (ColumnType.TEXT, True, "expected text, got True"),
        (ColumnType.TEXT, 1.5, "expected text, got 1.5"),
    ],
)  # fmt: skip
def test_param_coercion_errors_name_the_parameter(
    kind: ColumnType, value: object, message: str
) -> None:
    with pytest.raises(ParameterError, match=f"parameter 'p': {message}"):
        ParamSpec("p", kind).resolve(value, TODAY)


def test_defaults_optional_and_required() -> None:
    assert ParamSpec("d", ColumnType.DATE, default="-30d").resolve(None, TODAY) == date(2026, 2, 13)
    assert ParamSpec("o", ColumnType.INT, optional=True).resolve(None, TODAY) is None
    with pytest.raises(ParameterError, match="parameter 'r': a value is required"):
        ParamSpec("r", ColumnType.INT).resolve(None, TODAY)


def test_bind_applies_defaults_and_names_the_query(qdir: Path) -> None:
    spec = spec_of(qdir)
    assert spec.bind({}, TODAY) == {"since": date(2026, 2, 13), "location_id": None}
    assert spec.bind({"location_id": "3", "since": "-7d"}, TODAY) == {
        "since": date(2026, 3, 8),
        "location_id": 3,
    }
    with pytest.raises(
        ParameterError, match="query 'open_orders': parameter 'location_id': expected an integer"
    ):
        spec.bind({"location_id": "three"}, TODAY)
    with pytest.raises(
        ParameterError,
        match=r"query 'open_orders': parameter 'loc': not a parameter .*since, location_id",
    ):
        spec.bind({"loc": "3"}, TODAY)


def test_required_param_of_a_real_live_query(real: Catalog) -> None:
    spec = real["order_timeline"]
    with pytest.raises(
        ParameterError, match="query 'order_timeline': parameter 'so_id': a value is required"
    ):
        spec.bind({}, TODAY)
    assert spec.bind({"so_id": "12"}, TODAY) == {"so_id": 12}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_relayout_of_a_real_query_never_changes_its_checksum(
    real: Catalog, data: st.DataObject
) -> None:
    spec = real[data.draw(st.sampled_from(sorted(real)))]
    separators = st.sampled_from([" ", "\n", "\n\t  ", "   ", " -- a note\n  ", " /* x */ "])
    relaid = "".join(
        data.draw(separators) if kind == "space" else piece for kind, piece in pieces(spec.template)
    )
    assert normalise(relaid) == normalise(spec.template)
    header, _ = parse_header(spec.path.read_text(), str(spec.path))
    assert checksum(relaid, header) == spec.checksum


def test_problem_text_is_file_line_column_message() -> None:
    assert str(Problem("q.sql", 3, 7, "bad")) == "q.sql:3:7: bad"
    assert str(Problem("q.sql", 3, None, "bad")) == "q.sql:3: bad"
    assert str(Problem("q.sql", None, None, "bad")) == "q.sql: bad"
