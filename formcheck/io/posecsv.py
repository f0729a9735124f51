"""Pose import: a CSV of MediaPipe-order landmarks (another tool's output, a researcher's data) → PoseSequence.

Format (docs/pose_csv.md): one row per frame, a header row naming the columns (any order):

* ``t_s`` (optional): time of the frame in seconds, strictly increasing. Without it frame ``i`` is at ``i / fps``.
* ``x0,y0,z0,v0 … x32,y32,z32,v32`` (required): MediaPipe's 33 pose landmarks in its order, *normalised image
  coordinates* (x, y in [0, 1] of the frame width and height, y down; z MediaPipe's relative depth, near side
  negative, roughly the scale of x) and visibility in [0, 1].
* ``wx0,wy0,wz0 … wx32,wy32,wz32`` (optional, all or none): MediaPipe *world* landmarks, metres, hip-centred,
  y down. Their visibility is the image landmark's.

A file without a header is read by its column count: 132 (landmarks), 133 (``t_s`` + landmarks), 231
(landmarks + world) or 232 (``t_s`` + landmarks + world), in the order above.

Missing values are NaN, never 0: an empty cell is unknown; a landmark whose four values are all 0 (how several
tools write "not detected") is unknown; a row whose landmark cells are all empty or all 0 means nobody was in the
frame. The frame size (``size``) only turns normalised coordinates into aspect-correct pixels; it defaults to
1280x720 with a note, since angles depend on the aspect ratio.

Errors are :class:`~formcheck.errors.UsageError` (exit code 2) naming the row and column in plain words.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.errors import InputError, UsageError
from formcheck.types import N_LANDMARKS, PoseSequence, VideoInfo

DEFAULT_FPS = 30.0
DEFAULT_SIZE = (1280, 720)
SOURCE = "pose_csv"  # VideoInfo.source of an imported sequence
IMAGE_COLUMNS = tuple(f"{c}{i}" for i in range(N_LANDMARKS) for c in "xyzv")
WORLD_COLUMNS = tuple(f"w{c}{i}" for i in range(N_LANDMARKS) for c in "xyz")
TIME_COLUMN = "t_s"
NO_WORLD_NOTE = (
    "No world landmarks in the pose file (wx0, wy0, wz0 …): the camera angle and the body position were not "
    "measured, and the angles assume a side view."
)
_HEADERLESS = {
    len(IMAGE_COLUMNS): IMAGE_COLUMNS,
    1 + len(IMAGE_COLUMNS): (TIME_COLUMN, *IMAGE_COLUMNS),
    len(IMAGE_COLUMNS) + len(WORLD_COLUMNS): (*IMAGE_COLUMNS, *WORLD_COLUMNS),
    1 + len(IMAGE_COLUMNS) + len(WORLD_COLUMNS): (TIME_COLUMN, *IMAGE_COLUMNS, *WORLD_COLUMNS),
}
_KNOWN = frozenset((TIME_COLUMN, *IMAGE_COLUMNS, *WORLD_COLUMNS))


@dataclass(frozen=True)
class PoseCsv:
    """An imported pose file.

    Attributes:
        seq: the pose sequence (world landmarks all NaN when the file has none; no mask probes).
        has_world: the file had world landmark columns.
        notes: plain sentences about what the file cannot give (shown with the analysis).
    """

    seq: PoseSequence
    has_world: bool
    notes: tuple[str, ...] = ()


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` → ``(1920, 1080)``.

    Raises:
        UsageError: not two positive whole numbers joined by ``x``.
    """
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text or "")
    if not m or int(m.group(1)) <= 0 or int(m.group(2)) <= 0:
        raise UsageError(f"--size must be WIDTHxHEIGHT in pixels, e.g. 1920x1080, not {text!r}.")
    return int(m.group(1)), int(m.group(2))


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _columns(first: list[str], path: Path) -> tuple[tuple[str, ...], bool]:
    """Column names and whether ``first`` is a header (else the file is headerless and ``first`` is data)."""
    cells = [c.strip() for c in first]
    if all(c == "" or _is_number(c) for c in cells):
        names = _HEADERLESS.get(len(cells))
        if names is None:
            raise UsageError(
                f"{path.name} has no header and {len(cells)} columns; a pose file without a header must have "
                f"{', '.join(map(str, sorted(_HEADERLESS)))} columns.",
                hint="Add a header row (t_s, x0, y0, z0, v0 … x32, y32, z32, v32); see docs/pose_csv.md.",
            )
        return names, False
    names = tuple(c.lower() for c in cells)
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise UsageError(f"{path.name}: the column {dup[0]!r} appears more than once in the header.")
    unknown = [n for n in names if n not in _KNOWN]
    if unknown:
        raise UsageError(
            f"{path.name}: unknown column {unknown[0]!r} in the header.",
            hint="Columns are t_s, x0..x32, y0..y32, z0..z32, v0..v32 and optionally wx0..wz32; see docs/pose_csv.md.",
        )
    missing = [n for n in IMAGE_COLUMNS if n not in names]
    if missing:
        raise UsageError(
            f"{path.name}: {len(missing)} landmark column(s) are missing, e.g. {missing[0]!r}.",
            hint="Every landmark 0..32 needs x, y, z and v columns; see docs/pose_csv.md.",
        )
    world = [n for n in WORLD_COLUMNS if n in names]
    if world and len(world) != len(WORLD_COLUMNS):
        absent = next(n for n in WORLD_COLUMNS if n not in names)
        raise UsageError(f"{path.name}: world columns must be all there or none; {absent!r} is missing.")
    return names, True


def read_pose_csv(path: str | Path, *, fps: float | None = None, size: tuple[int, int] | str | None = None) -> PoseCsv:
    """Read a pose CSV (see the module docs for the format).

    Args:
        path: the ``.csv`` file.
        fps: frame rate when the file has no ``t_s`` column (default 30; ignored, with a note, when it has one).
        size: frame size in pixels, ``(width, height)`` or ``"WxH"`` (default 1280x720, with a note).

    Returns:
        The sequence, whether it has world landmarks, and notes on what is missing.

    Raises:
        InputError: the file does not exist or cannot be read as text.
        UsageError: bad columns, a row of the wrong length, a value that is not a number, times that do not
            increase, no rows, or a bad ``fps``/``size``.
    """
    p = Path(path)
    notes: list[str] = []
    if fps is not None and not (math.isfinite(fps) and fps > 0):
        raise UsageError(f"--fps must be a positive number, not {fps}.")
    if size is None:
        width, height = DEFAULT_SIZE
        notes.append(
            f"Frame size not given: assumed {width}x{height}; angles depend on the picture's shape, so pass "
            "--size WxH of the video the poses came from."
        )
    else:
        width, height = parse_size(size) if isinstance(size, str) else (int(size[0]), int(size[1]))
        if width <= 0 or height <= 0:
            raise UsageError(f"--size must be positive, not {width}x{height}.")
    try:
        with open(p, newline="", encoding="utf-8-sig") as f:  # -sig: spreadsheets write a byte-order mark
            rows = list(csv.reader(f))
    except FileNotFoundError as e:
        raise InputError(f"The pose file {p} does not exist.") from e
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{p.name} cannot be read as a CSV text file ({e}).") from e
    if not rows:
        raise UsageError(f"{p.name} is empty: a pose file needs a header and one row per frame.")
    names, header = _columns(rows[0], p)
    data_rows = rows[1:] if header else rows
    if not data_rows:
        raise UsageError(f"{p.name} has a header but no frames.")
    T = len(data_rows)
    values = np.full((T, len(names)), np.nan)
    line0 = 2 if header else 1
    for i, row in enumerate(data_rows):
        if row == []:  # a blank line: a frame with nobody (csv gives it as [])
            continue
        if len(row) != len(names):
            raise UsageError(
                f"{p.name}, line {line0 + i}: {len(row)} values, but there are {len(names)} columns.",
                hint="Every row needs one value per column (leave a cell empty when it is unknown).",
            )
        for j, cell in enumerate(row):
            c = cell.strip()
            if c == "":
                continue
            try:
                values[i, j] = float(c)
            except ValueError:
                raise UsageError(
                    f"{p.name}, line {line0 + i}, column {names[j]}: {cell!r} is not a number.",
                    hint="Use a dot for decimals and leave unknown values empty.",
                ) from None
    col = {n: j for j, n in enumerate(names)}
    img = values[:, [col[n] for n in IMAGE_COLUMNS]].reshape(T, N_LANDMARKS, 4)
    # A landmark written as 0,0,0,0 is "not detected" in several tools: unknown, never a point at the corner.
    img[np.all(img == 0.0, axis=2)] = np.nan
    nobody = np.all(np.isnan(img[:, :, :2]), axis=(1, 2))
    img[nobody] = np.nan
    has_world = WORLD_COLUMNS[0] in col
    world = np.full((T, N_LANDMARKS, 4), np.nan)
    if has_world:
        world[:, :, :3] = values[:, [col[n] for n in WORLD_COLUMNS]].reshape(T, N_LANDMARKS, 3)
        world[:, :, 3] = img[:, :, 3]
        world[nobody] = np.nan
    else:
        notes.append(NO_WORLD_NOTE)
    if TIME_COLUMN in col:
        t = values[:, col[TIME_COLUMN]]
        bad = np.flatnonzero(~np.isfinite(t))
        if bad.size:
            raise UsageError(f"{p.name}, line {line0 + int(bad[0])}: t_s is empty; every frame needs its time.")
        step = np.flatnonzero(np.diff(t) <= 0)
        if step.size:
            k = int(step[0]) + 1
            raise UsageError(
                f"{p.name}, line {line0 + k}: t_s {t[k]:g} is not after the previous frame's {t[k - 1]:g}.",
                hint="Times must increase from row to row.",
            )
        if fps is not None:
            notes.append("The file has t_s, so --fps was not used.")
    else:
        t = np.arange(T, dtype=np.float64) / (fps or DEFAULT_FPS)
    rate = float(1.0 / np.median(np.diff(t))) if T > 1 else float(fps or DEFAULT_FPS)
    duration = float(t[-1] - t[0] + 1.0 / rate) if T > 1 else 0.0
    info = VideoInfo(str(p), width, height, rate, T, duration, source=SOURCE)
    seq = PoseSequence(img, world, t, width, height, video=info)
    return PoseCsv(seq=seq, has_world=has_world, notes=tuple(notes))


def write_pose_csv(seq: PoseSequence, path: str | Path, *, world: bool = True, time: bool = True) -> Path:
    """Write ``seq`` in the pose CSV format (the inverse of :func:`read_pose_csv`; NaN → empty cell).

    Args:
        seq: the pose sequence.
        path: output ``.csv``.
        world: include the world columns.
        time: include the ``t_s`` column.
    """
    names = ((TIME_COLUMN,) if time else ()) + IMAGE_COLUMNS + (WORLD_COLUMNS if world else ())
    out = Path(path)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(names)
        for i in range(seq.n_frames):
            row = [float(seq.t_s[i])] if time else []
            row += np.asarray(seq.landmarks[i], dtype=np.float64).reshape(-1).tolist()
            if world:
                row += np.asarray(seq.world[i, :, :3], dtype=np.float64).reshape(-1).tolist()
            w.writerow(["" if not math.isfinite(v) else repr(v) for v in row])
    return out


__all__ = [
    "DEFAULT_FPS", "DEFAULT_SIZE", "IMAGE_COLUMNS", "NO_WORLD_NOTE", "SOURCE", "TIME_COLUMN", "WORLD_COLUMNS",
    "PoseCsv", "parse_size", "read_pose_csv", "write_pose_csv",
]  # fmt: skip
