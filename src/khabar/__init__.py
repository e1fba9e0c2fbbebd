"""khabar: Persian news text set right, structured and searchable.

>>> import khabar
>>> khabar.normalize("ميگوييم")
'می\u200cگوییم'
"""

from __future__ import annotations

from typing import Any

from khabar.document import Document
from khabar.pipeline import Pipeline
from khabar.text.normalizer import NormalizerConfig, normalize

__all__ = ["Document", "NormalizerConfig", "Pipeline", "analyze", "normalize"]
__version__ = "0.1.0"

_default_pipeline: Pipeline | None = None


def analyze(text: str, meta: dict[str, Any] | None = None, steps: list[str] | None = None) -> Document:
    """Run the pipeline (default steps unless ``steps`` is given) over one text."""
    global _default_pipeline
    if steps is not None:
        return Pipeline(steps)(text, meta=meta, id=(meta or {}).get("id"))
    if _default_pipeline is None:
        _default_pipeline = Pipeline()
    return _default_pipeline(text, meta=meta, id=(meta or {}).get("id"))
