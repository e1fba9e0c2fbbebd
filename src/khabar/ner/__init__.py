"""Named-entity recognition: a CRF over khabar's own tokens (see docs/ner.md).

Labels: PER, ORG, LOC, FAC, EVENT, PRODUCT, DATE, TIME, MONEY, PERCENT.
The model is built by ``training/train_ner.py`` into ``khabar/data/ner*``.
"""

from __future__ import annotations

LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "FAC", "EVENT", "PRODUCT", "DATE", "TIME", "MONEY", "PERCENT")

__all__ = ["LABELS"]
