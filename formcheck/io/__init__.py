"""formcheck.io."""
