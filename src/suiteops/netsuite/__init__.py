"""The NetSuite client: SuiteQL paging (offset, concurrent, keyset past 100k), auth, retries,
typed results and the REST record API. Knows nothing of DuckDB, pandas or Streamlit."""

from suiteops.netsuite.auth import (
    Account,
    ClientCredentialsAuth,
    TokenAuth,
    default_base_url,
    normalize_account,
)
from suiteops.netsuite.client import Result, SuiteQLClient
from suiteops.netsuite.paging import InconsistentResult, Page, Progress
from suiteops.netsuite.records import JobResult, RecordClient, RecordRef
from suiteops.netsuite.retry import AdaptiveLimit, RetryPolicy

__all__ = [
    "Account",
    "AdaptiveLimit",
    "ClientCredentialsAuth",
    "InconsistentResult",
    "JobResult",
    "Page",
    "Progress",
    "RecordClient",
    "RecordRef",
    "Result",
    "RetryPolicy",
    "SuiteQLClient",
    "TokenAuth",
    "default_base_url",
    "normalize_account",
]
