"""`BUILTIN.DF` and `BUILTIN.CF`: NetSuite's display and criteria values, resolved by join.

`BUILTIN.DF(x.col)` (DOC:article_1029114613) becomes a LEFT JOIN of the table the column points at
(`schema.DISPLAY_FIELDS`) on its `id`, added to the SELECT that defines `x`, and the display column
of that join. LEFT JOINs on a primary key never change the row count and DuckDB runs them as hash
joins, which stays fast over a million lines; the same DF used twice (SELECT and GROUP BY) reuses
one join. Derived tables are followed to the real column (`BUILTIN.DF(x.location)` over a
subquery exposing `tl.location` shows the location name), so ids can be grouped inside and
displayed outside, as the reference recommends.

Transaction specifics: `BUILTIN.DF(t.status)` joins `transactionstatus` on (type, letter) for
labels such as 'Sales Order : Pending Fulfillment' (the bare letter when the pair is unknown);
`BUILTIN.DF(t.type)` is the type's label ('Sales Order'); `BUILTIN.CF(t.status)` is 'SalesOrd:B'.
A column without a display mapping shows its own value as text. Anything else is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp
from sqlglot.optimizer.scope import Scope

from suiteops.emulator import schema
from suiteops.emulator.dialect_core import DialectError, refuse, typed
from suiteops.emulator.dialect_scopes import Origin, Scopes, find_projection, origin

DF = "ns_builtin_df"
CF = "ns_builtin_cf"
_MARKERS = {"df": DF, "cf": CF}
_STATUS = Origin("transaction", "status")
_TYPE = Origin("transaction", "type")


def mark_builtins(tree: exp.Expression) -> exp.Expression:
    """Turn `BUILTIN.DF(...)`/`BUILTIN.CF(...)` into marker calls the optimizer leaves alone."""

    def visit(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Dot) or not isinstance(node.this, exp.Identifier):
            return node
        if node.this.name.lower() != "builtin":
            return node
        call = node.expression
        name = call.name.lower() if isinstance(call, exp.Func) else ""
        if name not in _MARKERS:
            raise refuse(f"BUILTIN.{name.upper() or '?'} is not supported by the emulator.")
        if len(call.expressions) != 1:
            raise DialectError(f"BUILTIN.{name.upper()} takes exactly one field.")
        return exp.Anonymous(this=_MARKERS[name], expressions=list(call.expressions))

    return tree.transform(visit, copy=False)


class _Resolver:
    """Rewrites every marker of one tree, sharing joins per (SELECT, alias, column)."""

    def __init__(self, tree: exp.Expression):
        self.scopes = Scopes(tree)
        self.joins: dict[tuple[int, str, str], str] = {}

    def resolve(self, marker: exp.Anonymous) -> exp.Expression:
        """The expression one DF/CF marker stands for (adding its join where needed)."""
        column = marker.expressions[0]
        kind = "DF" if marker.name == DF else "CF"
        if not isinstance(column, exp.Column) or not column.table:
            raise DialectError(f"BUILTIN.{kind} expects a field, such as BUILTIN.{kind}(t.entity).")
        scope = self.scopes.owner(column)
        if scope is None:
            raise DialectError(f"Unknown identifier '{column.sql()}'")
        found = origin(scope, column.table, column.name)
        if kind == "CF":
            return self._criteria(scope, column, found)
        handler = _DISPLAY_HANDLERS.get(found) if found else None
        if handler is not None:
            return handler(self, scope, column)
        target = schema.DISPLAY_FIELDS.get((found.table, found.column)) if found else None
        if target is None:
            return typed(exp.cast(column, exp.DataType.Type.VARCHAR), "VARCHAR")
        table, field = target
        alias = self._join(scope, column, table, lambda a: _eq(a, "id", column))
        return typed(exp.column(field.split(".", 1)[1], table=alias), "VARCHAR")

    def _criteria(self, scope: Scope, column: exp.Column, found: Origin | None) -> exp.Expression:
        if found != _STATUS:
            raise refuse("BUILTIN.CF is supported only for transaction status fields.")
        kind = _sibling(scope, column, _TYPE)
        parts = [kind, exp.Literal.string(":"), column]
        return typed(exp.Anonymous(this="concat", expressions=parts), "VARCHAR")

    def _status(self, scope: Scope, column: exp.Column) -> exp.Expression:
        kind = _sibling(scope, column, _TYPE)
        alias = self._join(
            scope,
            column,
            "transactionstatus",
            lambda a: exp.and_(_eq(a, "trantype", kind), _eq(a, "id", column)),
        )
        # An unknown (type, letter) pair reads like schema.status_label: "<type label> : <letter>".
        fallback = exp.Anonymous(
            this="concat", expressions=[_type_label(kind), exp.Literal.string(" : "), column.copy()]
        )
        label = exp.Coalesce(this=exp.column("fullname", table=alias), expressions=[fallback])
        return typed(label, "VARCHAR")

    def _type(self, scope: Scope, column: exp.Column) -> exp.Expression:
        return typed(_type_label(column), "VARCHAR")

    def _join(
        self,
        scope: Scope,
        column: exp.Column,
        table: str,
        condition: Callable[[str], exp.Expression],
    ) -> str:
        key = (id(scope.expression), column.table, column.name)
        if key in self.joins:
            return self.joins[key]
        select = scope.expression
        if not isinstance(select, exp.Select):
            raise DialectError(f"BUILTIN.DF({column.sql()}) cannot be resolved here.")
        alias = f"ns_df_{len(self.joins) + 1}"
        self.joins[key] = alias
        source = exp.Table(this=exp.to_identifier(table), alias=exp.TableAlias(this=alias))
        join = exp.Join(this=source, on=condition(alias), side="LEFT")
        select.append("joins", join)
        return alias


_DISPLAY_HANDLERS: dict[Origin, Callable[[_Resolver, Scope, exp.Column], exp.Expression]] = {
    _STATUS: _Resolver._status,
    _TYPE: _Resolver._type,
}


def _type_label(column: exp.Column) -> exp.Expression:
    case = exp.Case(this=column.copy(), default=column.copy())
    for code, (_, label) in schema.TRANSACTION_TYPES.items():
        case = case.when(exp.Literal.string(code), exp.Literal.string(label), copy=False)
    return case


def _eq(alias: str, name: str, other: exp.Expression) -> exp.Expression:
    return exp.EQ(this=exp.column(name, table=alias), expression=other.copy())


def _sibling(scope: Scope, column: exp.Column, wanted: Origin) -> exp.Column:
    name = find_projection(scope, column.table, wanted)
    if name is None:
        raise DialectError(
            f"BUILTIN.DF({column.sql()}) needs the transaction type next to the status; "
            f"select {wanted.column} in the subquery that provides {column.table}."
        )
    return exp.column(name, table=column.table)


def resolve_builtins(tree: exp.Expression) -> exp.Expression:
    """Replace every DF/CF marker in a qualified tree by its join column or expression."""
    markers = [n for n in tree.find_all(exp.Anonymous) if n.name in (DF, CF)]
    if not markers:
        return tree
    resolver = _Resolver(tree)
    for marker in markers:
        marker.replace(resolver.resolve(marker))
    return tree
