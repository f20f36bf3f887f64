"""Shared helpers of the cross-addon tests (run through setup/test.sh)."""
