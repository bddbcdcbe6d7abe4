"""`QuerySpec` (one parsed query file) and `Catalog` (the loaded queries, by name)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from suiteops.catalog.params import ParamSpec
from suiteops.config import IDENTIFIER, ConnectorFields
from suiteops.errors import ConfigError, ParameterError
from suiteops.models import ColumnSpec, ColumnType

# `{{order_id}}`: a connector field (a ConnectorFields name), substituted as an identifier
FIELD = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")
FIELD_NAMES = frozenset(ConnectorFields.__dataclass_fields__)
DEFAULT_FIELDS = ConnectorFields()  # frozen: the configuration's defaults


@dataclass(frozen=True)
class QuerySpec:
    """One query file, parsed: what it is, what it takes, what it returns, and its version."""

    name: str
    title: str
    description: str
    version: int
    params: tuple[ParamSpec, ...]
    columns: tuple[ColumnSpec, ...]
    key: str | None
    refresh: timedelta | None
    incremental: str | None
    kpi_amount: str | None
    kpi_group: str | None
    template: str
    path: Path
    sql_line: int  # the file line the template starts on (template line n = file line n+sql_line-1)
    checksum: str
    header_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    @property
    def live(self) -> bool:
        """True for queries run on demand and never cached (`-- refresh: live`)."""
        return self.refresh is None

    @property
    def param_types(self) -> dict[str, ColumnType]:
        """Parameter name → declared type (what `sql.render` needs)."""
        return {p.name: p.type for p in self.params}

    @property
    def fields_used(self) -> tuple[str, ...]:
        """The connector field names (`order_id`, ...) the template refers to, in order."""
        return tuple(dict.fromkeys(m.group(1) for m in FIELD.finditer(self.template)))

    def sql(self, fields: ConnectorFields) -> str:
        """The template with connector field ids substituted (allow-listed identifiers only)."""
        ids = fields.as_mapping()
        for name in self.fields_used:
            if not IDENTIFIER.match(ids.get(name, "")):
                raise ConfigError(
                    f"fields.{name}: {ids.get(name)!r} is not an allowed field id (query "
                    f"{self.name}); expected otherrefnum or custbody_/custcol_/custentity_/"
                    "custitem_ followed by lower-case letters, digits and _"
                )
        return FIELD.sub(lambda m: ids[m.group(1)], self.template)

    def bind(self, values: Mapping[str, object], today: date) -> dict[str, object]:
        """Typed values for every declared parameter (defaults applied, relative dates resolved).

        `values` may hold strings (the CLI passes `-p location_id=3`) or typed values. An unknown
        name, a missing required value or a value of the wrong type raises ParameterError.
        """
        declared = {p.name: p for p in self.params}
        for name in values:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise ParameterError(
                    f"not a parameter (this query takes: {known})", name, self.name
                )
        bound: dict[str, object] = {}
        for param in self.params:
            try:
                bound[param.name] = param.resolve(values.get(param.name), today)
            except ParameterError as exc:
                detail = str(exc).removeprefix(f"parameter {param.name!r}: ")
                raise ParameterError(detail, param.name, self.name) from None
        return bound


class Catalog(Mapping[str, QuerySpec]):
    """The loaded queries: a read-only mapping name → QuerySpec, iterated in name order."""

    def __init__(self, directory: Path, specs: Mapping[str, QuerySpec]):
        self.directory = directory
        self._specs = dict(sorted(specs.items()))

    def __getitem__(self, name: str) -> QuerySpec:
        try:
            return self._specs[name]
        except KeyError:
            known = ", ".join(self._specs) or "none"
            raise KeyError(
                f"no query named {name!r} in {self.directory} (known: {known})"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"Catalog({str(self.directory)!r}, {list(self._specs)})"
