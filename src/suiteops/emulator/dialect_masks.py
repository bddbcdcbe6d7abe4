"""Oracle format masks for `TO_CHAR`, `TO_DATE` and `TRUNC`, turned into DuckDB expressions.

Date masks: the elements listed in `_DATE_ELEMENTS` (YYYY, MM, DD, HH24, MI, SS, MON/Mon/mon,
MONTH, DY, DAY, D, Q, AM/PM, FF, ...), punctuation and `"quoted text"` pass through. As in Oracle,
the case of a text element sets the case of its output (`MON` → `JAN`, `Mon` → `Jan`), `MONTH` and
`DAY` are blank-padded to 9 characters, and `FM` toggles fill mode (no padding, no leading zeros).
`D` is the US-territory day of week (Sunday = 1). An element not listed is refused, never guessed.

Number masks: `9`, `0`, `,`, `.`, a leading `$` and `FM`; without `FM` the result is left-padded to
the mask's width plus one sign position, as Oracle does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from suiteops.emulator.dialect_core import DialectError

# element → (strftime directive, strftime directive in FM mode)
_NUMERIC_ELEMENTS: dict[str, tuple[str, str]] = {
    "YYYY": ("%Y", "%Y"),
    "RRRR": ("%Y", "%Y"),
    "YY": ("%y", "%y"),
    "RR": ("%y", "%y"),
    "MM": ("%m", "%-m"),
    "DDD": ("%j", "%-j"),
    "DD": ("%d", "%-d"),
    "HH24": ("%H", "%-H"),
    "HH12": ("%I", "%-I"),
    "HH": ("%I", "%-I"),
    "MI": ("%M", "%-M"),
    "SS": ("%S", "%-S"),
    "FF6": ("%f", "%f"),
    "FF3": ("%g", "%g"),
    "FF": ("%f", "%f"),
    "IW": ("%V", "%V"),
    "AM": ("%p", "%p"),
    "PM": ("%p", "%p"),
}
# element → (strftime directive, padded width without FM)
_TEXT_ELEMENTS: dict[str, tuple[str, int]] = {
    "MONTH": ("%B", 9),
    "MON": ("%b", 3),
    "DAY": ("%A", 9),
    "DY": ("%a", 3),
}
# element → DuckDB function giving its number
_PART_ELEMENTS: dict[str, str] = {"Q": "quarter", "D": "dayofweek"}
_ELEMENT = re.compile(
    r'FM|"[^"]*"|HH24|HH12|FF6|FF3|YYYY|RRRR|MONTH|DDD|DAY|MON|HH|MI|SS|FF|IW|AM|PM|YY|RR|MM|DD|'
    r"DY|Q|D|[-/,.;: ]",
    re.IGNORECASE,
)
_NUMBER_MASK = re.compile(r"^(FM)?(\$)?([90,]*)(?:\.([90]*))?$", re.IGNORECASE)


@dataclass(frozen=True)
class _Piece:
    """One part of a formatted date: a strftime directive run, or a ready expression."""

    directive: str | None = None
    node: exp.Expression | None = None


def _split(mask: str) -> list[str]:
    elements, position = [], 0
    while position < len(mask):
        match = _ELEMENT.match(mask, position)
        if not match:
            raise DialectError(
                f"Unsupported format element at position {position + 1} of mask '{mask}'."
            )
        elements.append(match.group(0))
        position = match.end()
    return elements


def _cased(text: str, node: exp.Expression) -> exp.Expression:
    if text[:2].isupper():
        return exp.Upper(this=node)
    if text[:1].islower():
        return exp.Lower(this=node)
    return node


def _strftime(value: exp.Expression, directive: str) -> exp.Expression:
    return exp.Anonymous(this="strftime", expressions=[value.copy(), exp.Literal.string(directive)])


def _piece(element: str, value: exp.Expression, fill: bool) -> _Piece:
    upper = element.upper()
    if upper in _NUMERIC_ELEMENTS:
        return _Piece(directive=_NUMERIC_ELEMENTS[upper][0 if fill else 1])
    if upper in _TEXT_ELEMENTS:
        directive, width = _TEXT_ELEMENTS[upper]
        node = _cased(element, _strftime(value, directive))
        if fill and width > 3:
            node = exp.Anonymous(
                this="rpad", expressions=[node, exp.Literal.number(width), exp.Literal.string(" ")]
            )
        return _Piece(node=node)
    if upper in _PART_ELEMENTS:
        part = exp.Anonymous(this=_PART_ELEMENTS[upper], expressions=[value.copy()])
        if upper == "D":
            part = exp.Add(this=part, expression=exp.Literal.number(1))
        return _Piece(node=exp.cast(part, exp.DataType.Type.VARCHAR))
    text = element[1:-1] if element.startswith('"') else element
    return _Piece(directive=text.replace("%", "%%"))


def _merge(pieces: list[_Piece], value: exp.Expression) -> list[exp.Expression]:
    nodes: list[exp.Expression] = []
    run = ""
    for piece in pieces:
        if piece.directive is not None:
            run += piece.directive
            continue
        if run:
            nodes.append(_strftime(value, run))
            run = ""
        assert piece.node is not None
        nodes.append(piece.node)
    if run:
        nodes.append(_strftime(value, run))
    return nodes


def date_to_char(value: exp.Expression, mask: str) -> exp.Expression:
    """`TO_CHAR(<date or timestamp>, mask)` as a DuckDB expression (NULL stays NULL)."""
    fill, pieces = True, []
    for element in _split(mask):
        if element.upper() == "FM":
            fill = not fill
            continue
        pieces.append(_piece(element, value, fill))
    nodes = _merge(pieces, value) or [exp.Literal.string("")]
    if len(nodes) == 1:
        return nodes[0]
    joined = exp.Anonymous(this="concat", expressions=nodes)
    return exp.If(
        this=exp.Is(this=value.copy(), expression=exp.Null()), true=exp.Null(), false=joined
    )


def strptime_format(mask: str) -> str:
    """An Oracle date mask (for TO_DATE / TO_TIMESTAMP) as a strptime format string."""
    out = []
    for element in _split(mask):
        upper = element.upper()
        if upper == "FM":
            continue
        if upper in _NUMERIC_ELEMENTS:
            out.append(_NUMERIC_ELEMENTS[upper][0])
        elif upper in _TEXT_ELEMENTS:
            out.append(_TEXT_ELEMENTS[upper][0])
        elif upper in _PART_ELEMENTS:
            raise DialectError(f"Format element '{element}' cannot be parsed in mask '{mask}'.")
        else:
            out.append((element[1:-1] if element.startswith('"') else element).replace("%", "%%"))
    return "".join(out)


def has_time(mask: str) -> bool:
    """True when an Oracle date mask carries a time of day (hours, minutes, seconds)."""
    return any(e.upper() in {"HH", "HH12", "HH24", "MI", "SS"} for e in _split(mask))


def is_number_mask(mask: str) -> bool:
    """True when the mask is a number mask such as '999,990.00' or 'FM9990'."""
    return bool(_NUMBER_MASK.match(mask)) and any(c in mask for c in "90")


def number_to_char(value: exp.Expression, mask: str) -> exp.Expression:
    """`TO_CHAR(<number>, mask)` with Oracle rounding, grouping and width."""
    match = _NUMBER_MASK.match(mask)
    if not match or not is_number_mask(mask):
        raise DialectError(f"Unsupported number format mask '{mask}'.")
    fill_off, dollar, integer, decimals = match.groups()
    places = len(decimals or "")
    zeros = len(integer.replace(",", "").lstrip("9"))
    grouped = "," in integer
    # fmt cannot zero-pad and group at once; a grouped mask keeps its grouping.
    zero_width = zeros + (places + 1 if places else 0) if zeros and not grouped else 0
    spec = "{:" + (f"0{zero_width}" if zero_width else "") + ("," if grouped else "")
    spec += f".{places}f}}"
    rounded = exp.Round(this=exp.cast(value.copy(), "DOUBLE"), decimals=exp.Literal.number(places))
    node: exp.Expression = exp.Anonymous(
        this="format", expressions=[exp.Literal.string(spec), rounded]
    )
    if dollar:
        node = exp.Anonymous(this="concat", expressions=[exp.Literal.string("$"), node])
    if not fill_off:
        width = len(mask) + 1
        node = exp.Anonymous(
            this="lpad", expressions=[node, exp.Literal.number(width), exp.Literal.string(" ")]
        )
    return node
