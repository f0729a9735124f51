"""PoseSequence.probes / probe_versions and the back_contour_px alias."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import numpy as np
import pytest

from formcheck.types import PoseSequence

T = 6


def seq(**kw) -> PoseSequence:
    lm = np.random.default_rng(0).random((T, 33, 4))
    return PoseSequence(lm, lm.copy(), np.arange(T) / 30.0, 640, 480, **kw)


def pts(k: int = 24, t: int = T, fill: float = 1.0) -> np.ndarray:
    a = np.full((t, k, 2), fill)
    a[1] = np.nan  # nobody in frame 1
    return a


def test_no_probes_by_default():
    s = seq()
    assert dict(s.probes) == {} and dict(s.probe_versions) == {} and s.back_contour_px is None


def test_back_contour_keyword_is_the_dorsal_outline_probe():
    bc = pts()
    s = seq(back_contour_px=bc)
    assert list(s.probes) == ["dorsal_outline"]
    np.testing.assert_array_equal(s.probes["dorsal_outline"], bc)
    assert s.back_contour_px is s.probes["dorsal_outline"]
    s2 = seq(probes={"dorsal_outline": bc}, probe_versions={"dorsal_outline": 1})
    np.testing.assert_array_equal(s2.back_contour_px, bc)
    # Positional, as older callers pass it (6th argument).
    lm = np.random.default_rng(0).random((T, 33, 4))
    s3 = PoseSequence(lm, lm.copy(), np.arange(T) / 30.0, 640, 480, bc, np.ones(T))
    np.testing.assert_array_equal(s3.back_contour_px, bc)
    assert s3.n_people.tolist() == [1] * T


def test_everything_is_read_only():
    s = seq(probes={"dorsal_outline": pts(), "other": pts(5)}, probe_versions={"other": 2})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.back_contour_px = pts()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.probes = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.probes["other"] = pts(5)  # type: ignore[index]
    with pytest.raises(TypeError):
        s.probe_versions["other"] = 3  # type: ignore[index]
    with pytest.raises(ValueError):
        s.probes["other"][0, 0, 0] = 5.0


def test_caller_dict_changes_do_not_leak_in():
    d = {"other": pts(5)}
    v = {"other": 2}
    s = seq(probes=d, probe_versions=v)
    d["late"] = pts(3)
    v["other"] = 9
    assert list(s.probes) == ["other"] and s.probe_versions["other"] == 2


@pytest.mark.parametrize(
    ("kw", "msg"),
    [
        ({"probes": {"other": np.zeros((T - 1, 5, 2))}}, r"probes\['other'\] must be \(T, K, 2\) with T=6"),
        ({"probes": {"other": np.zeros((T, 5, 3))}}, r"probes\['other'\]"),
        ({"probes": {"other": np.zeros((T, 10))}}, r"probes\['other'\]"),
        ({"back_contour_px": np.zeros((T, 24))}, "back_contour_px"),
        ({"probe_versions": {"other": 1}}, "not in probes"),
        ({"probes": {"other": pts(5)}, "probe_versions": {"other": 0}}, "int >= 1"),
        ({"probes": {"other": pts(5)}, "probe_versions": {"other": 1.5}}, "int >= 1"),
        ({"probes": {"other": pts(5)}, "probe_versions": {"other": True}}, "int >= 1"),
    ],
    ids=["T", "last-dim", "2d", "alias-shape", "version-without-probe", "zero", "float", "bool"],
)
def test_bad_probes_are_rejected(kw, msg):
    with pytest.raises(ValueError, match=msg):
        seq(**kw)


def test_slice_keeps_probes_and_versions():
    other = pts(5)
    other[3] = 7.0
    s = seq(back_contour_px=pts(), probes={"other": other}, probe_versions={"other": 2}, n_people=np.ones(T))
    sub = s.slice(2, 5)
    assert sub.n_frames == 3
    assert {k: v.shape for k, v in sub.probes.items()} == {"other": (3, 5, 2), "dorsal_outline": (3, 24, 2)}
    np.testing.assert_array_equal(sub.probes["other"], other[2:5])
    assert dict(sub.probe_versions) == {"other": 2}
    assert sub.back_contour_px.shape == (3, 24, 2)


def test_replace_keeps_or_changes_probes_as_asked():
    s = seq(back_contour_px=pts(fill=1.0), probe_versions={"dorsal_outline": 1})
    kept = dataclasses.replace(s, n_people=np.ones(T))
    assert kept.back_contour_px is s.back_contour_px and dict(kept.probe_versions) == {"dorsal_outline": 1}
    new = dataclasses.replace(s, probes={"dorsal_outline": pts(fill=2.0)})  # replaced through probes
    assert np.nanmax(new.back_contour_px) == 2.0
    via_alias = dataclasses.replace(s, back_contour_px=pts(fill=3.0))  # replaced through the alias
    assert np.nanmax(via_alias.back_contour_px) == 3.0 and list(via_alias.probes) == ["dorsal_outline"]
    dropped = dataclasses.replace(s, back_contour_px=None)
    assert dropped.back_contour_px is None and dict(dropped.probes) == {} and dict(dropped.probe_versions) == {}


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda s: pickle.loads(pickle.dumps(s))], ids=["deepcopy", "pickle"])
def test_copies_keep_probes(clone):
    s = seq(back_contour_px=pts(), probes={"other": pts(5)}, probe_versions={"other": 2})
    c = clone(s)
    assert c.probes.keys() == s.probes.keys() and dict(c.probe_versions) == {"other": 2}
    np.testing.assert_array_equal(c.back_contour_px, s.back_contour_px)
