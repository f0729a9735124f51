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


def text_width(text: str, size_px: int, bold: bool = False) -> int:
    """Rendered width of ``text`` in pixels."""
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


def blend_mask(frame: np.ndarray, mask: np.ndarray, x: int, y: int, color_bgr: tuple[int, int, int]) -> None:
    """Paint ``color_bgr`` through the uint8 ``mask`` with its top-left at (x, y), clipped to the frame (in place)."""
    h, w = frame.shape[:2]
    mh, mw = mask.shape
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + mw, w), min(y + mh, h)
    if x0 >= x1 or y0 >= y1:
        return
    a = mask[y0 - y : y1 - y, x0 - x : x1 - x]
    ys, xs = np.nonzero(a)  # text covers a small part of its box: blend only those pixels (integer maths)
    if ys.size == 0:
        return
    aa = a[ys, xs].astype(np.uint16)[:, None]
    roi = frame[y0:y1, x0:x1]
    px = roi[ys, xs].astype(np.uint16)
    col = np.asarray(color_bgr, np.uint16)
    roi[ys, xs] = ((px * (255 - aa) + col * aa + 127) // 255).astype(np.uint8)


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
    mask = text_mask(text, size_px, bold)
    if shadow:
        off = max(1, size_px // 14)
        blend_mask(frame, mask, x + off, y + off, (0, 0, 0))
    blend_mask(frame, mask, x, y, color_bgr)
    return mask.shape[1], mask.shape[0]


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
