"""The news corpus as the attribution bench and training scripts read it (not used by the pipeline).

An article's text is exactly what ``khabar analyze`` reads from a news JSON item (khabar.io: the paragraphs
joined with a blank line; the title and abstract are not part of it).  Annotated sets name articles by
file and index; :func:`news_articles` skips the ones it is told to (the held-out set, when mining).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from khabar.io import InputDoc, record_to_doc


def news_text(article: dict) -> str:
    """The article text exactly as ``khabar analyze`` reads a news JSON item ("" for an empty one)."""
    doc = record_to_doc("news", 1, article)
    return doc.text if isinstance(doc, InputDoc) else ""


def news_articles(folder: Path, skip: set[tuple[str, int]] | frozenset = frozenset()
                  ) -> Iterator[tuple[str, int, str]]:
    """(file name, index, text) of every article of the news files in ``folder``, in order, except ``skip``."""
    for path in sorted(folder.glob("*.json")):
        for i, art in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if (path.name, i) not in skip:
                yield path.name, i, news_text(art)


def annotated(path: Path) -> set[tuple[str, int]]:
    """(file, index) of every article a gold file (one JSON object a line) annotates; empty when it is absent."""
    if not path.is_file():
        return set()
    return {(g["file"], g["index"]) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and (g := json.loads(line))}
