"""Shared set-up of the app tests that run app.py through Streamlit's AppTest.

Each test gets its own data folder, history database and routine file (never the user's); fc_app.open_page opens
one of app.py's pages.
"""

from __future__ import annotations

import pytest


@pytest.fixture()
def app_env(tmp_path, monkeypatch):
    """A fresh data folder, database and routine file for the app under test; returns the test's tmp_path."""
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "data" / "history.sqlite3"))
    monkeypatch.setenv("FORMCHECK_ROUTINE", str(tmp_path / "routine.toml"))
    import streamlit as st

    st.cache_resource.clear()  # app.get_store() is cached per process: else it stays in an earlier test's folder
    return tmp_path
