"""Re-export of :mod:`formcheck.engine.protocol` (the analyzer protocol lives with the engine)."""

from formcheck.engine.protocol import PHASES, Analyzer, LiveState, StreamingAnalyzer

__all__ = ["PHASES", "Analyzer", "LiveState", "StreamingAnalyzer"]
