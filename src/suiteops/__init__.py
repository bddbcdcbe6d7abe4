"""SuiteOps: the operations console beside a Shopify→NetSuite connector."""

__version__ = "0.1.0"
