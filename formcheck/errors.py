"""Typed errors with plain-language messages and CLI exit codes.

Every error a user can cause (bad file, nobody in view, camera gone) is one of these, so the CLI and the
app can show ``str(err)`` as-is and pick an exit code without parsing messages. Problems that still leave
something to analyse (a second person in view, an oblique camera, feet cut off) are not errors: they become
``Quality.warnings`` and a ``view.*`` cue, so nothing is lost.
"""

from __future__ import annotations


class FormcheckError(Exception):
    """Base class. ``str(err)`` is a sentence a user can act on; ``exit_code`` is the CLI's code."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} {hint}")


class UsageError(FormcheckError):
    """Bad arguments or configuration values."""

    exit_code = 2


class ConfigError(UsageError):
    """A config/TOML value is missing, mistyped or out of range."""


class ExerciseNotRecognisedError(UsageError):
    """No exercise was named and none could be recognised from the motion.

    ``message`` says what happened in words that hold everywhere; ``hint`` is the command-line remedy, so the app
    can give its own (choose the exercise in the sidebar) instead of a CLI flag.
    """


class PlanMismatchError(UsageError):
    """The clips given for a routine session do not fit the plan (count, or an item the camera does not check)."""


class InputError(FormcheckError):
    """The input cannot be read as a video (missing, empty, corrupt, not a video)."""

    exit_code = 3


class VideoNotFoundError(InputError):
    """The path does not exist."""


class UnreadableVideoError(InputError):
    """The file exists but is empty, corrupt or not a video."""


class PoseCacheError(InputError):
    """A pose cache (.npz) is unreadable or from another model/video."""


class ModelError(FormcheckError):
    """The pose model file is missing, corrupt or not the expected one."""

    exit_code = 5


class NoPersonError(FormcheckError):
    """No person was found in (enough of) the video."""

    exit_code = 4


class ClipTooShortError(FormcheckError):
    """The video is readable but too short to hold one repetition (nothing to analyse, like nobody in view)."""

    exit_code = 4


class StorageError(FormcheckError):
    """Something could not be saved (disk full, read-only folder); nothing half-written was kept."""

    exit_code = 6


class CameraError(FormcheckError):
    """The webcam could not be opened or stopped delivering frames (unplugged, in use)."""

    exit_code = 3
