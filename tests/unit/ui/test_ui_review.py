"""Upload checks, names, and that Streamlit's own settings agree with formcheck's."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.config import ReviewConfig, load_config
from formcheck.errors import InputError
from formcheck.ui.review import (
    REPORT_FORMATS,
    check_upload,
    read_streamlit_config,
    safe_stem,
    streamlit_config_problems,
    upload_help,
)

ROOT = Path(__file__).resolve().parents[3]
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "size", "words"),
    [
        ("notes.txt", 100, "does not look like a video"),
        ("set.mp4", 0, "is empty"),
        ("set.MOV", 201 * MB, "over the 200 MB limit"),
    ],
)
def test_bad_uploads_are_explained(name, size, words):
    with pytest.raises(InputError, match=words) as e:
        check_upload(name, size, 200)
    assert e.value.hint


@pytest.mark.parametrize("name", ["set.mp4", "Set 1.MOV", "x.webm", "a.b.mkv"])
def test_good_uploads_pass(name):
    check_upload(name, 200 * MB, 200)


def test_upload_help_is_concrete():
    assert "200 MB" in upload_help(200) and "2 minutes" in upload_help(200)
    assert "30 seconds" in upload_help(50)
    assert "never uploaded" in upload_help(200)


@pytest.mark.parametrize(("name", "stem"), [("My set (1).mov", "My_set_1"), ("...mp4", "video"), ("ä.mp4", "video")])
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem


def test_every_report_format_is_offered():
    assert [f.suffix for f in REPORT_FORMATS] == [".html", ".pdf", ".csv", ".json"]


def test_shipped_streamlit_config_agrees_with_defaults():
    st_cfg = read_streamlit_config(ROOT / ".streamlit" / "config.toml")
    assert streamlit_config_problems(st_cfg, load_config().review) == []


def test_config_problems_are_found():
    bad = {"server": {"maxUploadSize": 50}, "browser": {}}
    problems = streamlit_config_problems(bad, ReviewConfig(max_upload_mb=200))
    assert len(problems) == 3 and "maxUploadSize" in problems[0]


@pytest.mark.parametrize(("key", "value"), [("max_upload_mb", 0), ("max_upload_mb", 20_000)])
def test_review_section_is_validated(key, value):
    from formcheck.errors import ConfigError

    with pytest.raises(ConfigError, match=f"review.{key}"):
        load_config(overrides={"review": {key: value}})
