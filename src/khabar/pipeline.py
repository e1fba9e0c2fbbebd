"""Pipeline: an ordered list of named steps over a Document.

A step is a plain function ``step(doc) -> doc`` registered under a name.  Built-in
steps are registered lazily (by import path) so that a model loads only when a
pipeline that uses it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.document import Document

Step = Callable[[Document], Document]


@dataclass(frozen=True)
class StepInfo:
    name: str
    target: str | Step  # "module:function" or the function itself
    requires: tuple[str, ...] = ()

    def load(self) -> Step:
        if callable(self.target):
            return self.target
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)


_REGISTRY: dict[str, StepInfo] = {}


def register(name: str, target: str | Step, requires: Sequence[str] = ()) -> None:
    """Register a step under ``name`` (a function or a lazy ``"module:function"`` path)."""
    _REGISTRY[name] = StepInfo(name, target, tuple(requires))


def step(name: str, requires: Sequence[str] = ()) -> Callable[[Step], Step]:
    """Decorator form of :func:`register`."""

    def deco(fn: Step) -> Step:
        register(name, fn, requires)
        return fn

    return deco


def available_steps() -> list[str]:
    return list(_REGISTRY)


register("normalize", "khabar.text.normalizer_step:normalize_step")
register("segment", "khabar.text.segmenter:segment_step", requires=["normalize"])
register("entities", "khabar.ner.step:entities_step", requires=["normalize", "segment"])
register("attribution", "khabar.attribution.step:attribution_step", requires=["normalize", "segment"])

DEFAULT_STEPS: tuple[str, ...] = ("normalize", "segment", "entities", "attribution")


class PipelineError(ValueError):
    pass


class Pipeline:
    """Named steps run in order.

    >>> Pipeline(["normalize"]).names
    ['normalize']
    """

    def __init__(self, steps: Iterable[str] | None = None) -> None:
        names = list(DEFAULT_STEPS if steps is None else steps)
        seen: set[str] = set()
        for name in names:
            if name not in _REGISTRY:
                raise PipelineError(f"unknown step {name!r}; available: {', '.join(_REGISTRY)}")
            missing = [r for r in _REGISTRY[name].requires if r not in seen]
            if missing:
                raise PipelineError(f"step {name!r} needs {', '.join(missing)} before it")
            seen.add(name)
        self.names = names
        self._fns: list[Step] | None = None

    @property
    def steps(self) -> list[Step]:
        if self._fns is None:
            self._fns = [_REGISTRY[n].load() for n in self.names]
        return self._fns

    def __call__(self, text: str | Document, meta: dict[str, Any] | None = None,
                 id: str | None = None) -> Document:
        doc = text if isinstance(text, Document) else Document(raw=text, id=id, meta=dict(meta or {}))
        for fn in self.steps:
            doc = fn(doc)
        return doc

    def pipe(self, items: Iterable[str | Document | tuple[str, dict[str, Any]]]) -> Iterator[Document]:
        """Analyze a stream of texts, Documents or ``(text, meta)`` pairs, lazily, in order."""
        for item in items:
            if isinstance(item, tuple):
                text, meta = item
                yield self(text, meta=meta, id=(meta or {}).get("id"))
            else:
                yield self(item)
