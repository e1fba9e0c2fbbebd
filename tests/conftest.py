from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Models load lazily on first use and CI machines are shared: no per-example deadline.
settings.register_profile("khabar", deadline=None, max_examples=100)
settings.load_profile("khabar")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip: a fresh clone has no ../shared (CI does)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs {SHARED_DATA} (the shared corpora; present in CI, absent in a fresh clone)")
    return SHARED_DATA


@pytest.fixture
def shared_example() -> Path:
    path = SHARED / "example" / "karabakh-aran-news.txt"
    if not path.is_file():
        pytest.skip(f"needs {path} (present in CI, absent in a fresh clone)")
    return path
