"""formcheck.report."""
