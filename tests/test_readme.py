"""The examples of the README and docs/normalizer.md are the program's real output: their console
blocks for `khabar normalize` and `khabar analyze`, and their Python sessions, are run and compared."""

from __future__ import annotations

import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/normalizer.md")


def blocks(kind: str, doc: str = "README.md") -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```", (ROOT / doc).read_text(encoding="utf-8"), flags=re.S | re.M)


def khabar(args: list[str], stdin: str = "") -> str:
    r = subprocess.run([sys.executable, "-m", "khabar.cli", *args], input=stdin.encode("utf-8"),
                       capture_output=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode("utf-8")


ECHO = re.compile(r'^\$ echo "(?P<text>[^"]*)" \| khabar (?P<args>normalize[^\n]*)\n(?P<out>(?:(?!\$ ).*\n)*)', re.M)


def normalize_examples(doc: str) -> list[tuple[str, str, str]]:
    return [(m["text"], m["args"], m["out"]) for b in blocks("console", doc) for m in ECHO.finditer(b)]


def test_the_docs_have_the_examples_these_tests_read() -> None:
    assert len(normalize_examples("README.md")) >= 2 and len(normalize_examples("docs/normalizer.md")) >= 5
    assert all(len(blocks("python", doc)) == 1 for doc in DOCS)
    assert any("khabar analyze examples/tehran-metro.txt" in b for b in blocks("console"))


@pytest.mark.parametrize(("text", "args", "out"), [pytest.param(*x, id=f"{doc}:{i}") for doc in DOCS
                                                   for i, x in enumerate(normalize_examples(doc), 1)])
def test_normalize_examples(text: str, args: str, out: str) -> None:
    assert khabar(shlex.split(args), text + "\n") == out


def test_analyze_example() -> None:
    # the README shows the summary with some lines left out ("..."): every line it shows, in order
    (block,) = [b for b in blocks("console") if "khabar analyze examples/tehran-metro.txt" in b]
    shown = [line for line in block.splitlines()[1:] if line != "..."]
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "show.py")], capture_output=True, timeout=60,
                       input=khabar(["analyze", "examples/tehran-metro.txt"]).encode("utf-8"))
    lines = iter(r.stdout.decode("utf-8").splitlines())
    missing = [line for line in shown if not any(line == got for got in lines)]
    assert not missing, missing


@pytest.mark.parametrize("doc", DOCS)
def test_python_session(doc: str) -> None:
    (block,) = blocks("python", doc)
    test = doctest.DocTestParser().get_doctest(block, {}, doc, doc, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
