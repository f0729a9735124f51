"""Anti-aliased Unicode text and translucent boxes on BGR frames.

OpenCV's Hershey fonts are ASCII-only (no ``°`` or ``—``) and look rough at banner sizes, so text is rasterised
once with Pillow (DejaVu Sans, shipped with matplotlib) into a cached alpha mask and blended onto the frame with
numpy. Repeated labels ("Rep 3", "hip 80°") hit the cache, which keeps the live overlay cheap.
"""

from __future__ import annotations

import os
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont


@lru_cache(maxsize=8)
def font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at ``size_px`` (Pillow's built-in font if matplotlib's copy is missing)."""
    try:
        import matplotlib

        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        return ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name), size_px)
    except (ImportError, OSError):
        return ImageFont.load_default(size_px)


@lru_cache(maxsize=4096)
def text_width(text: str, size_px: int, bold: bool = False) -> int:
    """Rendered width of ``text`` in pixels (cached: the overlay measures the same labels on every frame)."""
    return int(np.ceil(font(size_px, bold).getlength(text)))


@lru_cache(maxsize=1024)
def text_mask(text: str, size_px: int, bold: bool = False) -> np.ndarray:
    """``(h, w)`` uint8 alpha mask (0-255) of one line of text (height = line height of the font)."""
    f = font(size_px, bold)
    ascent, descent = f.getmetrics()
    w = max(1, text_width(text, size_px, bold))
    img = Image.new("L", (w + 2, ascent + descent + 2), 0)
    ImageDraw.Draw(img).text((1, 1), text, font=f, fill=255)
    mask = np.asarray(img, dtype=np.uint8).copy()
    mask.setflags(write=False)
    return mask


@lru_cache(maxsize=1024)
def _blend_terms(text: str, size_px: int, bold: bool) -> tuple[np.ndarray, np.ndarray, int, int]:
    """What :func:`put_text` blends on every frame, worked out once per text: the mask cut to its inked box (the
    rest is 0, which leaves pixels as they are) as ``a`` and ``255 - a`` (``(h, w, 1)`` uint16), and that box's
    offset ``(dx, dy)`` in the mask."""
    mask = text_mask(text, size_px, bold)
    ys, xs = np.nonzero(mask)
    if ys.size == 0:  # nothing inked (blank text)
        ys = xs = np.zeros(1, np.intp)
        mask = np.zeros((1, 1), np.uint8)
    a = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1, None].astype(np.uint16)
    inv = 255 - a
    a.setflags(write=False)  # shared by every later call with this text, like text_mask's own mask
    inv.setflags(write=False)
    return a, inv, int(xs.min()), int(ys.min())


def blend_mask(frame: np.ndarray, mask: np.ndarray, x: int, y: int, color_bgr: tuple[int, int, int]) -> None:
    """Paint ``color_bgr`` through the uint8 ``mask`` with its top-left at (x, y), clipped to the frame (in place).

    Each pixel becomes ``(px * (255 - a) + color * a + 127) // 255`` (rounded, integer maths).
    """
    a = mask[:, :, None].astype(np.uint16)
    _blend(frame, a, 255 - a, x, y, color_bgr)


def _blend(frame: np.ndarray, a: np.ndarray, inv: np.ndarray, x: int, y: int, color_bgr: tuple[int, int, int]) -> None:
    """:func:`blend_mask` with the mask as ``a`` and ``255 - a`` (``(h, w, 1)`` uint16).

    Computed over the whole box, which is cheaper than picking out the covered pixels and leaves the uncovered ones
    (``a = 0``) as they were. The division by 255 is done with shifts: ``w // 255 == (w + 1 + ((w + 1) >> 8)) >> 8``
    for every ``w`` that occurs here (checked for all pixel, colour and alpha values), without leaving uint16.
    """
    h, w = frame.shape[:2]
    mh, mw = a.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + mw, w), min(y + mh, h)
    if x0 >= x1 or y0 >= y1:
        return
    box = (slice(y0 - y, y1 - y), slice(x0 - x, x1 - x))
    roi = frame[y0:y1, x0:x1]
    v = roi * inv[box]  # uint16: at most 255 * 255
    v += a[box] * np.asarray(color_bgr, np.uint16)
    v += 128  # the rounding 127, plus the 1 of the shift division
    v += v >> 8
    v >>= 8
    roi[:] = v


def put_text(
    frame: np.ndarray,
    text: str,
    x: int,
    y: int,
    size_px: int,
    color_bgr: tuple[int, int, int] = (255, 255, 255),
    *,
    bold: bool = False,
    shadow: bool = True,
) -> tuple[int, int]:
    """Draw one line of text with its top-left at (x, y); returns its (width, height) in pixels."""
    a, inv, dx, dy = _blend_terms(text, size_px, bold)
    if shadow:
        off = max(1, size_px // 14)
        _blend(frame, a, inv, x + dx + off, y + dy + off, (0, 0, 0))
    _blend(frame, a, inv, x + dx, y + dy, color_bgr)
    h, w = text_mask(text, size_px, bold).shape
    return w, h


def fill_box(
    frame: np.ndarray, x0: int, y0: int, x1: int, y1: int, color_bgr: tuple[int, int, int], alpha: float = 0.7
) -> None:
    """Translucent filled rectangle (in place), clipped to the frame."""
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = max(int(x0), 0), max(int(y0), 0), min(int(x1), w), min(int(y1), h)
    if x0 >= x1 or y0 >= y1:
        return
    roi = frame[y0:y1, x0:x1]
    solid = np.empty_like(roi)
    solid[:] = color_bgr
    roi[:] = cv2.addWeighted(roi, 1.0 - alpha, solid, alpha, 0.0)


def wrap(text: str, size_px: int, max_width_px: int, bold: bool = False, max_lines: int = 3) -> list[str]:
    """Greedy word wrap to ``max_width_px``; the last line gets an ellipsis if the text does not fit."""
    words = text.split()
    lines: list[str] = []
    cur = ""
    for word in words:
        trial = f"{cur} {word}".strip()
        if cur and text_width(trial, size_px, bold) > max_width_px:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size_px, bold) > max_width_px:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines
