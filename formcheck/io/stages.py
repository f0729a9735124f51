"""Bounded thread stages shared by the pose extraction and the annotated video (decode → work → … → caller).

Each stage hands items on through a bounded :class:`queue.Queue`, so memory stays bounded whatever the clip's
length, and every blocking call wakes up every :data:`POLL_S` to see whether the pipeline was stopped (a failed
stage, or a caller that is done), so no thread is left waiting on a queue nobody reads. A stage's end, or its
failure, travels down the queues as an :class:`End` item, and the caller's thread raises the error.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any

POLL_S = 0.05  # how often a blocked stage checks whether the pipeline has stopped


class End:
    """Queue item: the stage before has finished (``error`` set: it failed with that exception)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def put(q: queue.Queue, item: object, stop: threading.Event) -> bool:
    """Put ``item`` unless the pipeline has stopped (then False); never blocks past a stop."""
    while not stop.is_set():
        try:
            q.put(item, timeout=POLL_S)
            return True
        except queue.Full:
            continue
    return False


def get(q: queue.Queue, stop: threading.Event) -> Any:
    """Next item, or an :class:`End` once the pipeline has stopped."""
    while not stop.is_set():
        try:
            return q.get(timeout=POLL_S)
        except queue.Empty:
            continue
    return End()


def decode_stage(frames: Iterator[Any], out: queue.Queue, stop: threading.Event) -> None:
    """Thread body: pass ``frames`` (e.g. decoded ``(image, t_s)`` pairs) to ``out``, then an :class:`End` (with the
    error when reading failed). The iterator is closed in this thread: a generator cannot be closed from another
    thread while it runs."""
    end = End()
    try:
        for item in frames:
            if not put(out, item, stop):
                break
    except BaseException as e:  # noqa: BLE001 - handed to the caller's thread, which raises it
        end = End(e)
    finally:
        close = getattr(frames, "close", None)
        if close is not None:
            close()
    put(out, end, stop)
