"""formcheck.analyzers."""
