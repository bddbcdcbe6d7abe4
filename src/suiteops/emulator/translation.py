"""The bridge to the SuiteQL dialect: its refusals become NetSuite 400 responses."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from suiteops.emulator.problems import ErrorCode, bad_request
from suiteops.emulator.suiteql import TranslationLike, Translator


def dialect_translator() -> Translator:
    """`dialect.translate`, raising `Problem` (400, the dialect's code and detail) on refusal."""
    from suiteops.emulator import dialect

    def translate(suiteql: str, *, param_count: int) -> TranslationLike:
        try:
            return dialect.translate(suiteql, param_count=param_count)
        except dialect.DialectError as exc:
            code = ErrorCode.__members__.get(str(exc.code), ErrorCode.INVALID_PARAMETER)
            raise bad_request(str(exc.detail), code) from None

    return translate


def dialect_installer() -> Callable[[duckdb.DuckDBPyConnection], None]:
    """`dialect.install_functions`: the macros translated queries call."""
    from suiteops.emulator import dialect

    return dialect.install_functions
