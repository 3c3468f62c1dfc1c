"""Test-wide settings: the parsed-document cache lives in a temporary folder of this test run, never in
the user's ~/.cache (tests that exercise the cache make their own)."""
import os
import tempfile

os.environ.setdefault("AUDIT_CACHE_DIR", tempfile.mkdtemp(prefix="report-audit-test-cache-"))
