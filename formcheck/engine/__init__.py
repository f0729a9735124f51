"""The analysis engine shared by every exercise."""
