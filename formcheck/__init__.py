"""formcheck: small, precise form corrections for back-care exercises from one camera."""

__version__ = "0.1.0"
