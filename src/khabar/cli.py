"""The ``khabar`` command.

Subcommands are small functions registered in ``COMMANDS``; each gets the parsed
arguments and returns an exit code.  Errors about input name the file and
position and never show a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing, nullcontext
from functools import partial
from itertools import chain
from typing import Any, TextIO, cast

from khabar import __version__
from khabar.io import STDIN, InputError, InputSkipped, expand_paths, read_inputs, write_jsonl
from khabar.text.chars import HSPACE

BLOCK = 1 << 20  # bytes read at a time
MAX_PIECE = 1 << 20  # characters normalized at a time when a line is longer


# ---------------------------------------------------------------------------
# normalize


def _safe_cut(s: str, limit: int) -> int:
    """A position <= limit where a very long line can be cut between two words."""
    window = s[:limit]
    for marks in (".؟!?", "،؛"):
        best = max(window.rfind(m + " ") for m in marks)
        if best > limit // 2:
            return best + 1
    space = window.rfind(" ")
    return space if space > 0 else limit


class _ChunkWriter:
    """Writes normalized chunks in input order, in this process or in a pool of ``jobs`` processes.

    The first chunk is normalized here (loading the models before any fork); a pool starts only
    when a second chunk comes, so small inputs never pay for it.  At most ``2 * jobs`` chunks are
    in flight, which keeps memory bounded.
    """

    def __init__(self, out: TextIO, normalize: Callable[[str], str], jobs: int, freeze: bool = False) -> None:
        self.out, self.normalize, self.jobs, self.freeze = out, normalize, jobs, freeze
        self.pool: Any = None
        self.inflight: deque[Any] = deque()
        self.chunks = 0

    def text(self, chunk: str) -> None:
        self.chunks += 1
        if self.jobs <= 1 or self.chunks == 1:
            self.literal(self.normalize(chunk))
            if self.chunks == 1 and self.freeze:
                # the models and their caches, loaded by now, live as long as the process: the cyclic
                # collector need not walk their millions of objects again at every full collection
                # (and forked workers keep sharing their pages)
                gc.freeze()
            return
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
        self.inflight.append(self.pool.submit(self.normalize, chunk))
        while len(self.inflight) > 2 * self.jobs:
            self.out.write(self.inflight.popleft().result())

    def literal(self, s: str) -> None:
        if self.inflight:
            from concurrent.futures import Future

            done: Future[str] = Future()
            done.set_result(s)
            self.inflight.append(done)
        else:
            self.out.write(s)

    def close(self) -> None:
        try:
            while self.inflight:
                self.out.write(self.inflight.popleft().result())
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)


def normalize_stream(data: Iterator[bytes], path: str, out: TextIO, normalize: Callable[[str], str],
                     errors: str = "strict", jobs: int = 1, freeze: bool = False) -> None:
    """Normalize a byte stream line for line, in bounded memory.  Raises DecodeError.

    With ``jobs`` > 1, blocks of lines are normalized in that many processes (``normalize`` must
    then be picklable), and written in order.  ``freeze``: the process is this command's alone, so
    what exists after the first block (the models, their caches) is frozen for the collector.
    """
    from khabar.io import DecodeError, bom_encoding

    blocks = iter(data)
    head = next(blocks, b"")
    data = chain([head], blocks)
    encoding = bom_encoding(head) or "utf-8"  # (UTF-16 or UTF-32 when a byte-order mark says so)
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    writer = _ChunkWriter(out, normalize, jobs, freeze)
    fed = 0
    pending = ""
    first = True
    try:
        for block in data:
            buffered = len(decoder.getstate()[0])
            try:
                s = decoder.decode(block)
            except UnicodeDecodeError as e:
                writer.text(pending)
                raise DecodeError(path, fed - buffered + e.start, e.reason, encoding.upper()) from None
            fed += len(block)
            if first and s.startswith("\ufeff"):
                s = s[1:]
            first = False
            pending += s
            cut = pending.rfind("\n") + 1
            if cut:
                writer.text(pending[:cut])
                pending = pending[cut:]
            while len(pending) > 2 * MAX_PIECE:
                cut = _safe_cut(pending, MAX_PIECE)
                writer.text(pending[:cut])
                rest = pending[cut:]
                if rest[:1] in HSPACE and rest:
                    writer.literal(" ")
                    rest = rest.lstrip(HSPACE)
                pending = rest
        try:
            pending += decoder.decode(b"", final=True)
        except UnicodeDecodeError as e:
            writer.text(pending)
            raise DecodeError(path, fed - len(e.object) + e.start, e.reason, encoding.upper()) from None
        if pending:
            writer.text(pending)
    finally:
        writer.close()


def default_jobs() -> int:
    """Worker processes for large inputs: the CPUs this process may use, at most 4."""
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def _blocks(f: object) -> Iterator[bytes]:
    read = f.read  # type: ignore[attr-defined]
    while True:
        block = read(BLOCK)
        if not block:
            return
        yield block


def int_in(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer from ``low`` to ``high`` (no bound: None), else a usage error naming both."""
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if n < low or (high is not None and n > high):
            raise argparse.ArgumentTypeError(f"{n} is not between {low} and {high}" if high is not None
                                             else f"{n} is less than {low}")
        return n
    return parse


def step_names(value: str) -> list[str]:
    """An argparse type: comma-separated step names (spaces around them allowed); naming none is a usage
    error, not the full pipeline (which is --steps left out)."""
    names = [name.strip() for name in value.split(",")]
    if not any(names):
        raise argparse.ArgumentTypeError("no step named (leave --steps out for the full pipeline)")
    if "" in names:
        raise argparse.ArgumentTypeError(f"a step name is missing in {value!r}")
    return names


def _options_from_args(args: argparse.Namespace) -> dict[str, object]:
    opts: dict[str, object] = {"digits": args.digits}
    if args.keep_diacritics:
        opts["diacritics"] = False
    if args.no_halfspace:
        opts["halfspace"] = False
    return opts


def cmd_normalize(args: argparse.Namespace, out: TextIO) -> int:
    from khabar.io import DecodeError, decode
    from khabar.text.normalizer import NormalizerConfig, normalize, normalize_with_alignment

    config = NormalizerConfig.from_options(**_options_from_args(args))
    own = getattr(args, "own_process", False)
    if config.halfspace:
        # the half-space model is loaded before any input is read, so that a model file that cannot be read
        # is not reported as an input that cannot; in its own process the command freezes it (see
        # _ChunkWriter.text): left unfrozen, the collector's first young collection after the load walks
        # every object of it (~0.08 s)
        from khabar.text.halfspace import get_restorer

        get_restorer()
        if own:
            gc.freeze()
    status = 0
    for path in args.files or [STDIN]:
        try:
            if args.explain:
                with open(path, "rb") if path != STDIN else nullcontext(sys.stdin.buffer) as f:
                    raw = decode(f.read(), path, args.errors)
                _, _, changes = normalize_with_alignment(raw, config, explain=True)
                for c in changes:
                    out.write(json.dumps({"path": path, "rule": c.rule, "raw_start": c.raw_start,
                                          "raw_end": c.raw_end, "before": c.before, "after": c.after},
                                         ensure_ascii=False) + "\n")
                continue
            with open(path, "rb") if path != STDIN else nullcontext(sys.stdin.buffer) as f:
                normalize_stream(_blocks(f), path, out, partial(normalize, config=config), args.errors,
                                 jobs=args.jobs or default_jobs(), freeze=own)
        except DecodeError as e:
            print(f"khabar: {e}", file=sys.stderr)
            status = 1
        except BrokenPipeError:
            raise
        except OSError as e:
            print(f"khabar: {path}: cannot read: {e.strerror or e}", file=sys.stderr)
            status = 1
    return status


# ---------------------------------------------------------------------------
# analyze


def cmd_analyze(args: argparse.Namespace, out: TextIO) -> int:
    from khabar.pipeline import Pipeline, PipelineError

    try:
        pipeline = Pipeline(args.steps)
    except PipelineError as e:
        print(f"khabar: {e}", file=sys.stderr)
        return 2
    status = 0

    def docs() -> Iterator[dict[str, object]]:
        nonlocal status
        for item in read_inputs(args.files or [STDIN], args.input, args.errors):
            if isinstance(item, InputError):
                print(f"khabar: {item}", file=sys.stderr)
                if not isinstance(item, InputSkipped):  # (a file passed over in a folder is no error)
                    status = 1
                continue
            for warning in item.warnings:
                print(f"khabar: {item.path}:{item.line}: {warning}", file=sys.stderr)
            meta = dict(item.meta)
            yield pipeline(item.text, meta=meta, id=meta.pop("id", None)).to_dict()

    write_jsonl(docs(), out)
    return status


# ---------------------------------------------------------------------------
# the parser

COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "normalize": cmd_normalize,
    "analyze": cmd_analyze,
}

# Other modules add subcommands here: name -> (add_arguments, run).
EXTRA_COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None],
                                Callable[[argparse.Namespace, TextIO], int], str]] = {}


def _common_input(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="input files (default: standard input)")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--errors", choices=("strict", "replace"), default="strict",
                   help="invalid UTF-8: report the file and go on (strict) or use U+FFFD (replace)")


def build_parser(extras: bool = True) -> argparse.ArgumentParser:
    """The command line parser; ``extras``: with the subcommands other modules register (the archive's,
    the web app's), which a built-in command does not need to import."""
    parser = argparse.ArgumentParser(prog="khabar", description="Persian news text set right, "
                                     "structured and searchable.")
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("normalize", help="normalized text, line for line")
    _common_input(p)
    p.add_argument("--digits", choices=("persian", "latin", "keep"), default="persian")
    p.add_argument("--keep-diacritics", action="store_true", help="do not remove harakat")
    p.add_argument("--no-halfspace", action="store_true", help="do not restore half-spaces")
    p.add_argument("-j", "--jobs", type=int_in(0), default=1,
                   help="worker processes for large inputs (default 1; 0: the CPUs available, at most 4)")
    p.add_argument("--explain", action="store_true",
                   help="list each change (JSON Lines: rule, raw span, before, after)")

    p = sub.add_parser("analyze", help="one JSON document per input document (JSON Lines)")
    _common_input(p)
    p.add_argument("--input", choices=("auto", "text", "jsonl", "json", "html"), default="auto")
    p.add_argument("--steps", type=step_names, help="comma-separated step names (default: the full pipeline)")

    if extras:
        _load_extra_commands()
    for name, (add_args, _run, help_) in EXTRA_COMMANDS.items():
        add_args(sub.add_parser(name, help=help_))
    return parser


def _load_extra_commands() -> None:
    import importlib

    for module in ("khabar.archive.commands", "khabar.web.commands"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name is None or not module.startswith(e.name):
                raise


class OutputError(Exception):
    """Writing the output failed (a full disk, a file that cannot be created); a reader that went away
    is BrokenPipeError, as before."""


def _writing(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, a step of writing the output: its OSError becomes :class:`OutputError`
    (a reader that went away stays BrokenPipeError)."""
    try:
        return fn(*args, **kwargs)
    except BrokenPipeError:
        raise
    except OSError as e:
        raise OutputError(e.strerror or str(e)) from None


class _Output:
    """A built-in command's output stream: its write errors become :class:`OutputError`, which the
    commands do not take for errors reading an input."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, s: str) -> int:
        return _writing(self._stream.write, s)

    def flush(self) -> None:
        _writing(self._stream.flush)

    def close(self) -> None:
        _writing(self._stream.close)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _input_at(output: str, inputs: list[str]) -> str | None:
    """How the output file ``output`` would be one of ``inputs`` (that input itself, or a file in an input
    folder), or None."""
    out = os.path.realpath(output)
    for path in inputs:
        if path == STDIN or not os.path.exists(path):
            continue
        real = os.path.realpath(path)
        if os.path.isdir(real) and out.startswith(real.rstrip(os.sep) + os.sep):
            return f"inside the input folder {path}"
    if os.path.exists(out):  # (the same file under another name: a hard link, a folder reached by a link)
        out_stat = os.stat(out)
        for found in expand_paths([p for p in inputs if p != STDIN and os.path.exists(p)]):
            if isinstance(found, str) and os.path.samestat(os.stat(found), out_stat):
                return f"the input {found}"
    return None


def main(argv: list[str] | None = None, own_process: bool = False) -> int:
    """Run one command; ``own_process``: the process is this command's alone (the ``khabar`` command,
    :func:`console`), so a command may freeze its loaded models for the collector (``gc.freeze``), which
    an in-process caller would not want done to its own objects."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(extras=not (argv and argv[0] in COMMANDS))  # importing them costs ~60 ms of startup
    args = parser.parse_args(argv)
    args.own_process = own_process
    run = COMMANDS.get(args.command) or EXTRA_COMMANDS[args.command][1]
    output = getattr(args, "output", None)
    builtin = args.command in COMMANDS
    clash = _input_at(output, getattr(args, "files", None) or []) if output else None
    if clash:
        # opening the output first would empty the input before it is read
        print(f"khabar: -o {output}: that is {clash}; write the output elsewhere", file=sys.stderr)
        return 2
    try:
        if output and not builtin:
            with open(output, "w", encoding="utf-8", newline="") as f:
                return run(args, f)
        if output:
            # only creating, writing and closing the file are write errors: an OSError from the command
            # itself (a model file it cannot load) is not taken for one
            with closing(_Output(_writing(open, output, "w", encoding="utf-8", newline=""))) as f:
                return run(args, cast(TextIO, f))
        out = sys.stdout
        if hasattr(out, "reconfigure"):
            out.reconfigure(encoding="utf-8", newline="")  # type: ignore[union-attr]
        return run(args, cast(TextIO, _Output(out)) if builtin else out)
    except OutputError as e:
        print(f"khabar: cannot write {output or 'standard output'}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        # a file the command itself needs and cannot read (a model file missing from a broken install, say):
        # said as Unix tools say it, not as a traceback (the inputs' own errors are reported file by file)
        print(f"khabar: {e.filename}: {e.strerror or e}" if e.filename else f"khabar: {e.strerror or e}",
              file=sys.stderr)
        return 1


def console() -> None:
    """The ``khabar`` command: :func:`main`, and after a built-in text command (normalize, analyze: their
    output is closed or flushed by then) an exit that skips tearing the interpreter down, since freeing
    the loaded models' millions of objects one at a time takes about 0.15 s, more than a small input's
    whole run."""
    argv = sys.argv[1:]
    code = main(argv, own_process=True)
    if argv and argv[0] in COMMANDS:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            pass  # the reader went away: nothing more to write
        except OSError as e:
            print(f"khabar: cannot write standard output: {e.strerror or e}", file=sys.stderr)
            code = code or 1
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    # Run the imported module, not this __main__ copy, so that subcommands registered into
    # khabar.cli.EXTRA_COMMANDS by other modules are seen.
    from khabar.cli import console as _console

    _console()
