"""formcheck.metrics."""
