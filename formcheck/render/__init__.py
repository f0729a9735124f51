"""formcheck.render: the overlay drawn on frames (live and recorded) and the annotated H.264 video."""

from formcheck.render.overlay import draw_overlay
from formcheck.render.states import cue_track, frame_states, quality_badge
from formcheck.render.video import iter_video_frames, write_annotated_video

__all__ = ["cue_track", "draw_overlay", "frame_states", "iter_video_frames", "quality_badge", "write_annotated_video"]
