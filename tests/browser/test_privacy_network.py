"""Every app page in a real browser: no request leaves localhost, and no element points at an outside host.

Headless Chromium may not fetch a favicon at all, so besides the requests it records the test reads the page's
``<link rel=icon>``, ``src`` and ``href`` attributes: an outside favicon (Streamlit's ``:material/…`` page icon)
would be fetched by any normal browser window.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

PAGES = ("live", "review", "history", "routine", "privacy")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "chrome", "chrome-extension", "mailto", ""}
# Links a page may *show* (the user can follow them; the browser never fetches them on its own).
FOLLOW_ONLY = "a[href]"


def outside(url: str) -> bool:
    """True if loading ``url`` would contact a host other than this machine."""
    u = urlparse(url)
    if u.scheme in LOCAL_SCHEMES and not u.netloc:
        return False
    return (u.hostname or "") not in LOCAL_HOSTS


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8501/static/app.js", False),
        ("data:image/svg+xml,<svg/>", False),
        ("blob:http://127.0.0.1:8501/abc", False),
        ("https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/lock/default/24px.svg", True),
        ("//cdn.example.org/x.js", True),
    ],
)
def test_outside(url, expected):
    assert outside(url) is expected


def test_no_page_contacts_an_outside_host(app_url, launch_chromium):
    browser = launch_chromium()
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    pointed: list[str] = []
    for name in PAGES:
        page.goto(f"{app_url}/{name}")
        page.locator('[data-testid="stPageLink"]').first.wait_for(timeout=30_000)  # the menu: app.py page links
        page.wait_for_load_state("networkidle")
        pointed += page.eval_on_selector_all(
            f"[src], link[href], [href]:not({FOLLOW_ONLY})",
            "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))",
        )
    icons = page.eval_on_selector_all("link[rel~='icon']", "els => els.map(e => e.href)")
    assert icons, "the app sets a page icon"
    assert not [u for u in icons if outside(u)], f"favicon from an outside host: {icons}"
    assert requested, "the browser recorded no requests at all: the recorder is broken"
    assert not [u for u in requested if outside(u)], "requests left localhost"
    absolute = [u for u in pointed if u and "//" in u[:8]]
    assert not [u for u in absolute if outside(u)], f"elements point at outside hosts: {absolute}"
