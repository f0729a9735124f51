"""formcheck.signal."""
