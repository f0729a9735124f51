"""Opening one of app.py's pages in Streamlit's AppTest (the app tests' shared helper; the fixture app_env that
gives each test its own data folder is in conftest.py).

AppTest can only switch to file pages, while app.py's pages are functions behind ``st.navigation``: the app runs
once (its start page forwards to Live), then the page Streamlit registered under the wanted address is asked for —
the same hash a browser on ``/<address>`` sends.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[3] / "app.py"


def open_page(address: str, title: str, at: AppTest | None = None) -> AppTest:
    """The app on the page registered under ``address`` (an app run first when ``at`` is None), checked to show
    ``title`` without an exception."""
    if at is None:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
    pages = {info.get("url_pathname"): h for h, info in at._registered_pages.items()}
    at._page_hash = pages[address]  # private: AppTest has no public way to open a function page
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [title]
    return at
