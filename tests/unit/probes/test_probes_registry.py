"""The mask-probe registry."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.probes import (
    DEFAULT_PROBES,
    DORSAL_OUTLINE,
    PROBES,
    DorsalOutline,
    MaskProbe,
    get_probe,
    probe_versions,
    register_probe,
    resolve_probes,
)
from formcheck.types import PoseSequence


def test_default_is_the_dorsal_outline_behind_back_contour_px():
    assert DEFAULT_PROBES == (DORSAL_OUTLINE, "scene_lines")  # the back outline and the room's lines
    assert PoseSequence.BACK_CONTOUR_PROBE == DORSAL_OUTLINE
    assert isinstance(get_probe(DORSAL_OUTLINE), MaskProbe)


def test_every_registered_probe_is_registered_under_its_own_name():
    assert {"dorsal_outline", "dorsal_outline_down", "dorsal_outline_up"} <= PROBES.keys()
    for name, probe in PROBES.items():
        assert probe.name == name and probe.version >= 1 and probe.points >= 2


def test_unknown_probe_names_the_known_ones():
    with pytest.raises(KeyError, match="dorsal_outline"):
        get_probe("spine_ruler")
    with pytest.raises(KeyError, match="spine_ruler"):
        resolve_probes(["dorsal_outline", "spine_ruler"])


def test_resolve_and_versions_keep_order_and_drop_duplicates(monkeypatch):
    monkeypatch.setitem(PROBES, "zz_probe", DorsalOutline(name="zz_probe", version=4, points=3))
    got = resolve_probes(["zz_probe", "dorsal_outline", "zz_probe"])
    assert [p.name for p in got] == ["zz_probe", "dorsal_outline"]
    assert probe_versions(["zz_probe", "dorsal_outline"]) == {"zz_probe": 4, "dorsal_outline": 1}
    assert probe_versions([]) == {}


def test_register_refuses_to_shadow_unless_asked(monkeypatch):
    monkeypatch.setattr("formcheck.probes.registry.PROBES", dict(PROBES))
    from formcheck.probes import registry

    v2 = DorsalOutline(version=2)
    with pytest.raises(ValueError, match="already registered"):
        registry.register_probe(v2)
    assert registry.register_probe(v2, replace=True) is v2
    assert registry.get_probe("dorsal_outline").version == 2
    assert PROBES["dorsal_outline"].version == 1  # the module's real registry was not touched


def test_register_checks_the_name():
    class Bad(MaskProbe):
        name, version, points = "Bad-Name", 1, 2

        def trace(self, mask, landmarks_px, *, mask_scale=1.0):
            return self.empty()

    with pytest.raises(ValueError, match="lower_snake_case"):
        register_probe(Bad())
    assert Bad().empty().shape == (2, 2) and np.isnan(Bad().empty()).all()


def test_a_probe_must_implement_trace():
    class NoTrace(MaskProbe):
        name, version, points = "no_trace", 1, 2

    with pytest.raises(TypeError):
        NoTrace()
