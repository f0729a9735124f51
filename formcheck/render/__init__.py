"""formcheck.render."""
