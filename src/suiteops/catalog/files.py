"""Reading one query file: header, check text with file positions, template and `QuerySpec`."""

from __future__ import annotations

import re
from pathlib import Path

from suiteops.catalog.checks import Source, check_tokens, check_tree, parse_source
from suiteops.catalog.header import Header, HeaderKey, Problem, parse_header
from suiteops.catalog.lock import checksum
from suiteops.catalog.spec import FIELD, FIELD_NAMES, QuerySpec

_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def _check_text(text: str, end_line: int, path: str) -> tuple[Source, list[Problem]]:
    """The file with header lines blanked and `{{field}}` replaced by a same-length identifier
    (so parser positions are file positions); problems for unknown field names."""
    lines = text.split("\n")
    body = "\n".join([""] * end_line + lines[end_line:])
    source = Source(path, body)
    known = ", ".join(sorted(FIELD_NAMES))
    problems = [
        source.problem(m.start(), f"unknown connector field {m.group()} (known: {known})")
        for m in FIELD.finditer(body)
        if m.group(1) not in FIELD_NAMES
    ]
    padded = FIELD.sub(lambda m: m.group(1).ljust(len(m.group()), "_"), body)
    return Source(path, padded), problems


def _template(text: str, end_line: int) -> tuple[str, int]:
    lines = text.split("\n")[end_line:]
    skipped = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return "\n".join(lines[skipped:]).rstrip() + "\n", end_line + skipped + 1


def inspect_file(path: Path) -> tuple[QuerySpec | None, list[Problem]]:
    """Parse and check one query file (no lock check); a spec only when the header is usable."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # an editor's BOM is not part of the header
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), None, None, f"cannot read query file: {exc}")]
    header, problems = parse_header(text, str(path))
    if not _QUERY_NAME.match(path.stem):
        message = f"file name {path.name!r}: a query name is lower-case letters, digits and _"
        problems.append(Problem(str(path), None, None, message))
    source, field_problems = _check_text(text, header.end_line, str(path))
    problems += field_problems + check_tokens(source)
    tree, parse_problems = parse_source(source)
    problems += parse_problems
    if tree is not None:
        problems += check_tree(source, tree, header)
    spec = _spec(path, text, header) if header.version is not None else None
    return spec, problems


def _spec(path: Path, text: str, header: Header) -> QuerySpec:
    template, sql_line = _template(text, header.end_line)
    values = header.values
    return QuerySpec(
        name=path.stem,
        title=values.get(HeaderKey.TITLE, ""),
        description=values.get(HeaderKey.DESCRIPTION, ""),
        version=header.version or 0,
        params=header.params,
        columns=header.columns,
        key=values.get(HeaderKey.KEY) or None,
        refresh=header.refresh,
        incremental=values.get(HeaderKey.INCREMENTAL) or None,
        kpi_amount=header.kpi.amount,
        kpi_group=header.kpi.group,
        template=template,
        path=path,
        sql_line=sql_line,
        checksum=checksum(template, header),
        header_lines={k.value: n for k, n in header.lines.items()},
    )
