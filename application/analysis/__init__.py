"""Use cases of the dance analysis: decode, estimate pose, analyse music, score."""

from application.analysis.pipeline import AnalysisOutcome, AnalysisPipeline, beat_grid

__all__ = ["AnalysisOutcome", "AnalysisPipeline", "beat_grid"]
