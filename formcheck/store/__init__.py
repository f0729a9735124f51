"""formcheck.store."""
