"""Text blending (formcheck.render.text): the fast whole-box blend gives the rounded alpha blend of every pixel.

The truth is the formula itself, ``(px * (255 - a) + color * a + 127) // 255`` per channel, evaluated here in
plain integers for every pixel, alpha and colour value (and as put_text drew it before: covered pixels only).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.render.text import blend_mask, put_text, text_mask


def reference_blend(frame: np.ndarray, mask: np.ndarray, x: int, y: int, color: tuple[int, int, int]) -> np.ndarray:
    """The blend pixel by pixel in Python integers (int64), clipped to the frame; a new array."""
    out = frame.astype(np.int64)
    h, w = frame.shape[:2]
    for my, mx in zip(*np.nonzero(mask), strict=True):
        fy, fx = y + my, x + mx
        if 0 <= fy < h and 0 <= fx < w:
            a = int(mask[my, mx])
            out[fy, fx] = [(int(p) * (255 - a) + c * a + 127) // 255 for p, c in zip(out[fy, fx], color, strict=True)]
    return out.astype(np.uint8)


def test_every_pixel_alpha_and_colour_value():
    # rows: every alpha 0..255; columns: every pixel value 0..255; each colour channel value in turn
    mask = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 256, axis=1)
    frame = np.repeat(np.repeat(np.arange(256, dtype=np.uint8)[None, :, None], 256, axis=0), 3, axis=2)
    a = mask.astype(np.int64)[:, :, None]
    for c in range(256):
        got = frame.copy()
        color = (c, 255 - c, (c * 7) % 256)
        blend_mask(got, mask, 0, 0, color)
        want = (frame.astype(np.int64) * (255 - a) + np.asarray(color) * a + 127) // 255
        assert np.array_equal(got, want.astype(np.uint8)), c


@pytest.mark.parametrize(
    ("text", "size", "bold", "x", "y"),
    [
        ("Rep 3", 30, True, 10, 12),  # inside the frame
        ("hip 80°", 15, False, -7, 5),  # cut by the left edge
        ("Keep your back long", 22, True, 40, 150),  # cut by the bottom edge
        ("Side view ✓", 15, False, 120, -6),  # cut by the top and right edges
        ("far away", 15, False, 500, 500),  # wholly outside: nothing drawn
        ("  ", 15, False, 5, 5),  # nothing inked
    ],
)
@pytest.mark.parametrize("shadow", [False, True])
def test_put_text_blends_the_mask_like_the_formula(text, size, bold, x, y, shadow):
    rng = np.random.default_rng(len(text) + size)
    frame = rng.integers(0, 256, (160, 200, 3), dtype=np.uint8)
    color = (30, 200, 240)
    got = frame.copy()
    wh = put_text(got, text, x, y, size, color, bold=bold, shadow=shadow)
    mask = text_mask(text, size, bold)
    want = frame
    if shadow:
        off = max(1, size // 14)
        want = reference_blend(want, mask, x + off, y + off, (0, 0, 0))
    want = reference_blend(want, mask, x, y, color)
    assert np.array_equal(got, want)
    assert wh == (mask.shape[1], mask.shape[0])
