"""formcheck.pose."""
