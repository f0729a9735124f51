"""``python -m formcheck`` = the ``formcheck`` command."""

from formcheck.cli import main_entry

main_entry()
