"""The one-way dependency direction of DESIGN.md, enforced by reading imports with `ast`.

pages → views/actions → cache/netsuite/catalog → config/errors/models. The client knows nothing
of DuckDB or pandas; the cache knows nothing of HTTP; only app.py, app_pages/ and suiteops.ui import
streamlit; the emulator is a peer of NetSuite and imports nothing of the product.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "suiteops"
BASE = {"config", "errors", "models"}

# package → the suiteops packages it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "config": {"errors"},
    "errors": set(),
    "models": set(),
    "sql": {"errors", "models"},
    "netsuite": BASE | {"sql"},
    "catalog": BASE | {"sql"},
    "cache": BASE | {"catalog"},
    "emulator": BASE,
    "services": BASE | {"catalog", "cache", "netsuite", "emulator", "sql"},
    "refresh": BASE | {"catalog", "cache", "netsuite", "sql", "services"},
    "views": BASE | {"catalog", "cache", "sql"},
    "actions": BASE | {"catalog", "cache", "netsuite", "sql", "refresh", "services", "views"},
    "ui": BASE | {"catalog", "cache", "netsuite", "sql", "refresh", "services", "views", "actions"},
    "cli": BASE
    | {
        "catalog",
        "cache",
        "netsuite",
        "sql",
        "refresh",
        "services",
        "views",
        "actions",
        "emulator",
    },
}

# third-party modules a package must not import.
FORBIDDEN: dict[str, set[str]] = {
    "netsuite": {"duckdb", "pandas", "streamlit", "plotly"},
    "sql": {"duckdb", "pandas", "streamlit", "httpx"},
    "catalog": {"duckdb", "pandas", "streamlit", "httpx"},
    "cache": {"httpx", "streamlit", "plotly"},
    "views": {"httpx", "streamlit"},
    "actions": {"streamlit"},
    "refresh": {"streamlit"},
    "services": {"streamlit"},
    "emulator": {"streamlit", "plotly"},
    "cli": {"streamlit"},
}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


SOURCES = sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py" or p.parent != SRC)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_dependency_direction(path: Path) -> None:
    package = _package_of(path)
    assert package in ALLOWED, f"{path}: package {package!r} is not placed in the design"
    for name in _imports(path):
        top, _, rest = name.partition(".")
        if top == "suiteops" and rest:
            target = rest.split(".")[0]
            assert target == package or target in ALLOWED[package], (
                f"{path.relative_to(ROOT)} imports suiteops.{target}: "
                f"{package} may only import {sorted(ALLOWED[package])}"
            )
        assert top not in FORBIDDEN.get(package, set()), (
            f"{path.relative_to(ROOT)} imports {top}, which {package} must not use"
        )


def test_only_the_ui_layer_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in SOURCES
        if _package_of(p) != "ui" and any(n.split(".")[0] == "streamlit" for n in _imports(p))
    ]
    assert not offenders, (
        f"streamlit imported outside app.py, app_pages/ and suiteops.ui: {offenders}"
    )
