"""``--annotate x.avi`` writes an AVI: the container follows the suffix, and unsupported suffixes are refused.

The container is read from the written bytes (file signatures), not from formcheck's table: before, every suffix
got MP4 data.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import av
import pytest

from formcheck.cli import main
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.errors import UsageError
from formcheck.render import write_annotated_video
from formcheck.render.video import OUTPUT_FORMATS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video  # noqa: E402

CFG = Config()


def container_of(path: Path) -> str:
    """The container as its file signature says (ISO BMFF brand, RIFF type, EBML doctype)."""
    head = path.read_bytes()[:4096]
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: the DocType element says which
        return "webm" if b"\x42\x82\x84webm" in head else "matroska" if b"matroska" in head else "ebml?"
    return "unknown"


# suffix -> (container by signature, codec as decoded)
EXPECTED = {
    ".mp4": ("mp4", "h264"),
    ".m4v": ("mp4", "h264"),
    ".mov": ("mov", "h264"),
    ".mkv": ("matroska", "h264"),
    ".avi": ("avi", "mjpeg"),
    ".webm": ("webm", "vp9"),
}


def test_every_supported_suffix_is_tested():
    assert set(EXPECTED) == set(OUTPUT_FORMATS)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp("clip")
    an = make_analysis(rep_plan(1, {}, tempo=(0.6, 0.2, 0.6, 0.2), lead_s=0.3))
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = make_sequence(an, width=160, height=120)
    return d, write_figure_video(d / "figure.mp4", seq), seq, an


@pytest.mark.parametrize("suffix", sorted(EXPECTED))
def test_container_follows_the_suffix(clip, suffix):
    d, video, seq, an = clip
    out = write_annotated_video(video, seq, an, d / f"annotated{suffix.upper() if suffix == '.avi' else suffix}", CFG)
    container, codec = EXPECTED[suffix]
    assert container_of(out) == container
    with av.open(str(out)) as ic:
        s = ic.streams.video[0]
        assert s.codec_context.name == codec
        n = sum(1 for _ in ic.decode(s))
    assert n == seq.n_frames


@pytest.mark.parametrize("name", ["x.gif", "x.mpg", "x", "x.mp4.txt"])
def test_unsupported_suffix_refused_before_any_work(clip, name):
    d, video, seq, an = clip
    with pytest.raises(UsageError, match=r"\.mp4, \.m4v, \.mov, \.mkv, \.avi, \.webm"):
        write_annotated_video(d / "does_not_exist.mp4", seq, an, d / name, CFG)  # the suffix is checked first
    assert not (d / name).exists()


def test_cli_refuses_the_suffix_before_reading_the_video(tmp_path, capsys):
    code = main(["analyze", str(tmp_path / "missing.mp4"), "--annotate", str(tmp_path / "out.gif")])
    err = capsys.readouterr().err
    assert code == 2 and "out.gif" in err and ".avi" in err and "does not exist" not in err
