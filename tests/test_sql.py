"""sql.py: parsing, checks, column and placeholder inspection, safe rendering, keyset wrapping."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from suiteops import sql
from suiteops.errors import ParameterError, QueryFileError
from suiteops.models import ColumnType as C

TEMPLATE = (
    "SELECT BUILTIN.DF(t.entity) AS customer, t.id, NVL(t.memo, '-') AS memo "
    "FROM transaction t WHERE t.tranid = :tranid AND t.id > :min_id "
    "AND t.trandate >= :since AND t.memo <> :tranid ORDER BY t.id"
)
TYPES = {"tranid": C.TEXT, "min_id": C.INT, "since": C.DATE}


# --- parse and checks ---------------------------------------------------------------------------


def test_parse_error_names_path_line_and_column() -> None:
    with pytest.raises(QueryFileError) as info:
        sql.parse("SELECT a\nFROM WHERE", path="queries/x.sql")
    assert info.value.path == "queries/x.sql"
    assert info.value.line == 2
    assert info.value.column is not None
    assert str(info.value).startswith("queries/x.sql:2:")


@pytest.mark.parametrize("text", ["", "  ;  ", "-- only a comment"])
def test_parse_rejects_empty(text: str) -> None:
    with pytest.raises(QueryFileError, match="no SQL statement"):
        sql.parse(text, path="q.sql")


def test_parse_rejects_two_statements() -> None:
    with pytest.raises(QueryFileError, match="one statement expected, found 2"):
        sql.parse("SELECT 1 FROM dual; SELECT 2 FROM dual", path="q.sql")


def test_parse_accepts_trailing_semicolon() -> None:
    assert isinstance(sql.parse("SELECT 1 FROM dual;"), exp.Select)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("DELETE FROM transaction WHERE id = 1", "DELETE"),
        ("UPDATE transaction SET memo = 'x'", "UPDATE"),
        ("INSERT INTO t (a) VALUES (1)", "INSERT"),
        ("DROP TABLE transaction", "DROP"),
    ],
)
def test_check_select_only_rejects_writes(text: str, found: str) -> None:
    with pytest.raises(QueryFileError, match=found) as info:
        sql.check_select_only(sql.parse(text), path="q.sql")
    assert info.value.path == "q.sql"


def test_check_select_only_rejects_with() -> None:
    tree = sql.parse("WITH a AS (SELECT 1 AS x FROM dual) SELECT x FROM a")
    with pytest.raises(QueryFileError, match="WITH"):
        sql.check_select_only(tree, path="q.sql")


@pytest.mark.parametrize(
    "text",
    [TEMPLATE, "SELECT a FROM t UNION ALL SELECT b FROM u", "SELECT TOP 5 id FROM transaction"],
)
def test_check_select_only_accepts_queries(text: str) -> None:
    sql.check_select_only(sql.parse(text), path="q.sql")


# --- inspection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        (TEMPLATE, ("customer", "id", "memo")),
        ("SELECT A, b AS MixedCase, COUNT(*), 1 FROM t", ("a", "mixedcase", "expr1", "expr2")),
        ("SELECT t.* FROM t", ("*",)),
        ("SELECT a AS x FROM t UNION SELECT b FROM u", ("x",)),
    ],
)
def test_output_columns(text: str, columns: tuple[str, ...]) -> None:
    assert sql.output_columns(sql.parse(text)) == columns


def test_placeholders_in_order_each_once() -> None:
    assert sql.placeholders(sql.parse(TEMPLATE)) == ("tranid", "min_id", "since")


def test_placeholders_ignore_text_inside_strings() -> None:
    assert sql.placeholders(sql.parse("SELECT ':a' AS x FROM t WHERE y = :B")) == ("b",)


@pytest.mark.parametrize(
    ("text", "present", "columns"),
    [
        (TEMPLATE, True, ("id",)),
        ("SELECT a, b AS c FROM t ORDER BY 2, t.a DESC", True, ("c", "a")),
        ("SELECT a FROM t", False, ()),
        ("SELECT a FROM (SELECT a FROM t ORDER BY a)", False, ()),
    ],
)
def test_order_by(text: str, present: bool, columns: tuple[str, ...]) -> None:
    tree = sql.parse(text)
    assert sql.has_unique_order_by(tree) is present
    assert sql.order_by_columns(tree) == columns


# --- round trip keeps SuiteQL -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT BUILTIN.DF(t.status) AS s, BUILTIN.CF(t.status) AS c FROM transaction t",
        "SELECT NVL(a, 0) AS a, NVL2(a, 1, 2) AS b, DECODE(a, 1, 'x', 'y') AS c FROM t",
        "SELECT TOP 10 id FROM transaction ORDER BY id",
        "SELECT a || '-' || b AS ab FROM t WHERE ROWNUM <= 5",
        "SELECT TO_CHAR(t.trandate, 'YYYY-MM-DD') AS d FROM transaction t",
        "SELECT id FROM t WHERE d >= TO_DATE('2024-01-01', 'YYYY-MM-DD') AND SYSDATE - d > 7",
        "SELECT id FROM t WHERE d >= BUILTIN.RELATIVE_RANGES('DAGO30', 'START')",
        "SELECT id FROM t WHERE NOT EXISTS(SELECT 1 FROM u WHERE u.a = t.id)",
    ],
)
def test_round_trip_keeps_suiteql(text: str) -> None:
    assert sql.render(text, {}, {}, bound=False).text == text


# --- render: literals ---------------------------------------------------------------------------


def _where(rendered: sql.Rendered) -> str:
    return rendered.text.split(" WHERE ", 1)[1]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (C.TEXT, "o'hara", "x = 'o''hara'"),
        (C.TEXT, "a\\b", "x = 'a\\b'"),
        (C.INT, 42, "x = 42"),
        (C.INT, -7, "x = -7"),
        (C.INT, " 12 ", "x = 12"),
        (C.INT, 3.0, "x = 3"),
        (C.DECIMAL, Decimal("12.50"), "x = 12.50"),
        (C.DECIMAL, "1E+3", "x = 1000"),
        (C.DATE, date(2024, 2, 29), "x = TO_DATE('2024-02-29', 'YYYY-MM-DD')"),
        (C.DATE, "2024-02-29", "x = TO_DATE('2024-02-29', 'YYYY-MM-DD')"),
        (
            C.DATETIME,
            datetime(2024, 1, 2, 3, 4, 5),
            "x = TO_TIMESTAMP('2024-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS')",
        ),
        (C.BOOL, True, "x = 'T'"),
        (C.BOOL, False, "x = 'F'"),
        (C.INT, None, "x = NULL"),
    ],
)
def test_render_literal(kind: C, value: object, expected: str) -> None:
    rendered = sql.render("SELECT a FROM t WHERE x = :v", {"v": value}, {"v": kind}, bound=False)
    assert _where(rendered) == expected
    assert rendered.params is None


@pytest.mark.parametrize(
    ("kind", "value", "says"),
    [
        (C.INT, True, "boolean"),
        (C.INT, 1.5, "integer"),
        (C.INT, "12; DROP", "integer"),
        (C.INT, "1 OR 1=1", "integer"),
        (C.DECIMAL, "NaN", "finite"),
        (C.DECIMAL, "ten", "number"),
        (C.DATE, "2024-02-30", "date"),
        (C.DATE, "1/2/2024", "date"),
        (C.DATE, datetime(2024, 1, 1), "datetime"),
        (C.DATE, "2024-01-01') OR ('1'='1", "date"),
        (C.BOOL, "yes", "boolean"),
        (C.TEXT, ["a"], "text"),
    ],
)
def test_render_rejects_bad_values_naming_the_param(kind: C, value: object, says: str) -> None:
    with pytest.raises(ParameterError, match=says) as info:
        sql.render("SELECT a FROM t WHERE x = :v", {"v": value}, {"v": kind}, bound=False)
    assert info.value.name == "v"
    assert "'v'" in str(info.value)


def test_render_missing_value() -> None:
    with pytest.raises(ParameterError, match="no value given") as info:
        sql.render(TEMPLATE, {"tranid": "SO1", "since": date.today()}, TYPES, bound=False)
    assert info.value.name == "min_id"


def test_render_unknown_name() -> None:
    values = {"tranid": "SO1", "min_id": 1, "since": date.today(), "extra": 1}
    with pytest.raises(ParameterError, match="not a parameter") as info:
        sql.render(TEMPLATE, values, TYPES, bound=False)
    assert info.value.name == "extra"


def test_render_rejects_anonymous_placeholder() -> None:
    with pytest.raises(ParameterError, match="anonymous"):
        sql.render("SELECT a FROM t WHERE x = ?", {}, {}, bound=False)


def test_render_infers_types_when_undeclared() -> None:
    values = {"a": 5, "b": date(2024, 1, 1), "c": "x", "d": False}
    rendered = sql.render(
        "SELECT 1 FROM t WHERE w = :a AND x = :b AND y = :c AND z = :d", values, {}, bound=False
    )
    assert _where(rendered) == (
        "w = 5 AND x = TO_DATE('2024-01-01', 'YYYY-MM-DD') AND y = 'x' AND z = 'F'"
    )


def test_render_date_inside_template_to_date_is_not_wrapped_twice() -> None:
    text = "SELECT a FROM t WHERE d >= TO_DATE(:d, 'YYYY-MM-DD')"
    for bound, expected in ((False, "'2024-05-06'"), (True, "?")):
        rendered = sql.render(text, {"d": date(2024, 5, 6)}, {"d": C.DATE}, bound=bound)
        assert _where(rendered) == f"d >= TO_DATE({expected}, 'YYYY-MM-DD')"


# --- render: bound ------------------------------------------------------------------------------


def test_render_bound_values_follow_text_order() -> None:
    values = {"tranid": "SO'1", "min_id": 10, "since": date(2024, 1, 31)}
    rendered = sql.render(TEMPLATE, values, TYPES, bound=True)
    assert _where(rendered) == (
        "t.tranid = ? AND t.id > ? AND t.trandate >= TO_DATE(?, 'YYYY-MM-DD') AND t.memo <> ? "
        "ORDER BY t.id"
    )
    assert rendered.params == ("SO'1", "10", "2024-01-31", "SO'1")


def test_render_bound_select_list_before_where() -> None:
    rendered = sql.render(
        "SELECT :label AS l, a FROM t WHERE a = :x", {"x": 1, "label": "L"}, {}, bound=True
    )
    assert rendered.params == ("L", "1")


def test_render_bound_null_is_inline() -> None:
    rendered = sql.render(
        "SELECT a FROM t WHERE (:loc IS NULL OR l = :loc)",
        {"loc": None},
        {"loc": C.INT},
        bound=True,
    )
    assert _where(rendered) == "(NULL IS NULL OR l = NULL)"
    assert rendered.params == ()


# --- keyset -------------------------------------------------------------------------------------


def test_keyset_query_drops_inner_order_and_orders_by_key() -> None:
    text = sql.keyset_query(
        "SELECT t.id AS k, t.tranid FROM transaction t ORDER BY t.tranid",
        "k",
        after=1000,
        upto=2000,
    )
    assert text == (
        "SELECT * FROM (SELECT t.id AS k, t.tranid FROM transaction t) "
        "WHERE k > 1000 AND k <= 2000 ORDER BY k"
    )


def test_keyset_query_first_page_and_text_key() -> None:
    assert sql.keyset_query("SELECT a FROM t", "a") == "SELECT * FROM (SELECT a FROM t) ORDER BY a"
    assert "WHERE a > 'x''y'" in sql.keyset_query("SELECT a FROM t", "a", after="x'y")


def test_keyset_key_must_be_an_output_column() -> None:
    with pytest.raises(ParameterError, match="not an output column"):
        sql.keyset_query("SELECT a FROM t", "b", after=1)


# --- property: no value changes the statement's structure ---------------------------------------


def _shape(tree: exp.Expression) -> str:
    """The tree with every value-bearing node collapsed to one marker."""

    def collapse(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Literal | exp.Placeholder | exp.Null):
            return exp.var("V")
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
            return exp.var("V")
        if isinstance(node, exp.StrToDate) and isinstance(node.this, exp.Literal | exp.Placeholder):
            return exp.var("V")
        return node

    return repr(tree.copy().transform(collapse))


TEMPLATE_SHAPE = _shape(sqlglot.parse_one(TEMPLATE, read="oracle"))


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=40),
    number=st.integers(min_value=-(10**12), max_value=10**12),
    day=st.dates(),
    bound=st.booleans(),
)
def test_no_value_changes_structure(text: str, number: int, day: date, bound: bool) -> None:
    values = {"tranid": text, "min_id": number, "since": day}
    rendered = sql.render(TEMPLATE, values, TYPES, bound=bound)
    assert _shape(sqlglot.parse_one(rendered.text, read="oracle")) == TEMPLATE_SHAPE
    if bound:
        assert rendered.params == (text, str(number), day.isoformat(), text)
    else:
        parsed = sqlglot.parse_one(rendered.text, read="oracle")
        strings = [lit.this for lit in parsed.find_all(exp.Literal) if lit.is_string]
        assert strings.count(text) >= 2


def test_key_bounds_and_summary_queries() -> None:
    base = "SELECT t.id AS k FROM transaction t WHERE t.x = ? ORDER BY t.id"
    assert sql.key_bounds_query(base, "K") == (
        "SELECT COUNT(*) AS n, COUNT(DISTINCT k) AS d, MIN(k) AS lo, MAX(k) AS hi "
        "FROM (SELECT t.id AS k FROM transaction t WHERE t.x = ?)"
    )
    assert sql.key_summary_query(base, "k", upto=99) == (
        "SELECT COUNT(*) AS n, SUM(k) AS s FROM (SELECT t.id AS k FROM transaction t "
        "WHERE t.x = ?) WHERE k <= 99"
    )
