"""A local NetSuite emulator: SuiteQL REST, the record API subset, TBA and OAuth 2.0, faults."""
