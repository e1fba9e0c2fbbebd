"""The README's examples are the program's real output: its console blocks for `khabar normalize` and
`khabar analyze`, and its Python session, are run and compared."""

from __future__ import annotations

import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```", README, flags=re.S | re.M)


def khabar(args: list[str], stdin: str = "") -> str:
    r = subprocess.run([sys.executable, "-m", "khabar.cli", *args], input=stdin.encode("utf-8"),
                       capture_output=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode("utf-8")


ECHO = re.compile(r'^\$ echo "(?P<text>[^"]*)" \| khabar (?P<args>normalize[^\n]*)\n(?P<out>(?:(?!\$ ).*\n)*)', re.M)


def normalize_examples() -> list[tuple[str, str, str]]:
    return [(m["text"], m["args"], m["out"]) for b in blocks("console") for m in ECHO.finditer(b)]


def test_the_readme_has_the_examples_these_tests_read() -> None:
    assert len(normalize_examples()) >= 2 and len(blocks("python")) == 1
    assert any("khabar analyze examples/tehran-metro.txt" in b for b in blocks("console"))


@pytest.mark.parametrize(("text", "args", "out"),
                         [pytest.param(*x, id=f"example{i}") for i, x in enumerate(normalize_examples(), 1)])
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


def test_python_session() -> None:
    (block,) = blocks("python")
    test = doctest.DocTestParser().get_doctest(block, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
