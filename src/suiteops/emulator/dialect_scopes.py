"""Which SELECT a qualified column belongs to, and which table column it ultimately reads.

Built on sqlglot's scope analysis. A column `x.c` belongs to the innermost enclosing scope that
defines the alias `x` (correlated subqueries reach outward). Its origin is found by following
derived tables (subqueries in FROM, UNION branches) down to a real table.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope


@dataclass(frozen=True)
class Origin:
    """A real table column a (possibly derived) column reads, e.g. ('transaction', 'status')."""

    table: str
    column: str


class Scopes:
    """The scopes of one query tree, indexed by the expression that opens each of them."""

    def __init__(self, tree: exp.Expression):
        self._by_expression: dict[int, Scope] = {id(s.expression): s for s in traverse_scope(tree)}

    def enclosing(self, node: exp.Expression) -> Scope | None:
        """The innermost scope whose expression contains `node`."""
        current: exp.Expression | None = node
        while current is not None:
            scope = self._by_expression.get(id(current))
            if scope is not None:
                return scope
            current = current.parent
        return None

    def owner(self, column: exp.Column) -> Scope | None:
        """The scope defining the column's table alias (walking out through correlation)."""
        scope = self.enclosing(column)
        while scope is not None and column.table not in scope.sources:
            scope = scope.parent
        return scope


def origin(scope: Scope, alias: str, column: str) -> Origin | None:
    """The real table column behind `alias.column` in `scope`, or None for a computed value."""
    source = scope.sources.get(alias)
    if isinstance(source, exp.Table):
        return Origin(source.name.lower(), column.lower())
    if not isinstance(source, Scope):
        return None
    branch = source
    while branch.set_operation_scopes:
        branch = branch.set_operation_scopes[0]
    select = branch.expression
    if not isinstance(select, exp.Select):
        return None
    for projection in select.selects:
        if projection.alias_or_name.lower() == column.lower():
            inner = projection.unalias()
            if isinstance(inner, exp.Column) and inner.table:
                return origin(branch, inner.table, inner.name)
            return None
    return None


def find_projection(scope: Scope, alias: str, wanted: Origin) -> str | None:
    """The name under which derived source `alias` exposes `wanted`, if it does."""
    source = scope.sources.get(alias)
    if isinstance(source, exp.Table):
        return wanted.column if source.name.lower() == wanted.table else None
    if not isinstance(source, Scope) or not isinstance(source.expression, exp.Query):
        return None
    for projection in source.expression.selects:
        name = projection.alias_or_name
        if origin(scope, alias, name) == wanted:
            return name
    return None
