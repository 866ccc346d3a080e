"""The README's console examples, run for real: what it shows is what kg prints.

Every ```console block of README.md is a script: each ``$ command`` line runs (in order, in
one scratch folder holding copies of seeds/, eval/ and queries/), and the lines under it are
its output (standard output and standard error); a command may go on over lines while a quote
is open. A block marked ``<!-- not run -->`` on the line before it (a server, commands on the
reader's own files) is only shown; one marked ``<!-- output not shown -->`` runs, and each of
its commands must succeed. Timings differ from run to run, so ``1.7 s`` compares as any number
of seconds.

    python tests/readme.py            # check, print the differences (exit 1 on any)
    python tests/readme.py --update   # run the examples and write their output into README.md
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOT_RUN = "<!-- not run -->"
QUIET = "<!-- output not shown -->"
_BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.S | re.M)
_SECONDS = re.compile(r"\b\d+(?:\.\d+)? s\b")
COPIED = ("seeds", "eval", "queries")


@dataclass
class Step:
    """One ``$ command`` of a block and the output the README shows for it."""

    command: str
    shown: list[str]


@dataclass
class Block:
    """A console block: where it sits in the README, and its steps."""

    start: int
    end: int
    steps: list[Step]
    run: bool
    compare: bool


def blocks(text: str) -> list[Block]:
    """The README's console blocks, in order."""
    out = []
    for match in _BLOCK.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        steps: list[Step] = []
        for line in match.group(1).splitlines():
            if steps and _split_comment(steps[-1].command)[1]:  # a quote still open: the command goes on
                steps[-1].command += "\n" + line
            elif line.startswith("$ "):
                steps.append(Step(line[2:], []))
            elif steps:
                steps[-1].shown.append(line)
        marker = before.strip()
        out.append(Block(match.start(1), match.end(1), steps, run=marker != NOT_RUN, compare=marker != QUIET))
    return out


def _split_comment(text: str) -> tuple[str, bool]:
    """The command without its trailing ``# comment`` (for the reader), and whether a quote is
    still open at the end (the command goes on on the next line)."""
    quote, out = "", []
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1].isspace()):
            rest = text[i:].split("\n", 1)
            if len(rest) == 1:
                return "".join(out).rstrip(), False
            out.append("\n")
            return _join(out, _split_comment(rest[1]))
        out.append(ch)
    return "".join(out), bool(quote)


def _join(head: list[str], tail: tuple[str, bool]) -> tuple[str, bool]:
    return "".join(head) + tail[0], tail[1]


def _command(line: str) -> str:
    """The shell command of a ``$`` line (comments dropped)."""
    return _split_comment(line)[0]


def run_step(step: Step, cwd: Path, env: dict[str, str], *, check: bool = False) -> list[str]:
    """Run one step as a shell command; its combined output, as lines. ``check``: fail unless it
    succeeds (AssertionError naming the command and its last lines)."""
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", _command(step.command)], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    lines = proc.stdout.rstrip("\n").splitlines() if proc.stdout.strip() else []
    if check and proc.returncode != 0:
        raise AssertionError(f"README example failed: $ {step.command}\n" + "\n".join(lines[-5:]))
    if proc.returncode not in (0, 1):  # 1: an example may show a failure on purpose
        lines.append(f"[exit {proc.returncode}]")
    return [line.rstrip() for line in lines]


def scratch() -> tuple[Path, dict[str, str]]:
    """A folder with copies of the project's example inputs, and an environment whose ``kg``
    is this checkout's (the virtualenv of the running interpreter)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-readme-"))
    for name in COPIED:
        shutil.copytree(ROOT / name, folder / name)
    env = {**os.environ, "COLUMNS": "100", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "TERM": "dumb", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    env.pop("KG_STORE", None)
    return folder, env


def same(shown: list[str], got: list[str]) -> bool:
    """Equal but for timings."""
    return [_SECONDS.sub("N s", s.rstrip()) for s in shown] == [_SECONDS.sub("N s", g) for g in got]


def check(text: str) -> list[str]:
    """Differences between what the README shows and what kg prints, as unified diffs."""
    folder, env = scratch()
    problems: list[str] = []
    try:
        for block in blocks(text):
            for step in block.steps if block.run else ():
                got = run_step(step, folder, env, check=not block.compare)
                if block.compare and not same(step.shown, got):
                    diff = difflib.unified_diff(step.shown, got, "README.md", "kg printed", lineterm="")
                    problems.append(f"$ {step.command}\n" + "\n".join(diff))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return problems


def update(text: str) -> str:
    """The README with every run block's output replaced by what kg prints now."""
    folder, env = scratch()
    pieces, last = [], 0
    try:
        for block in blocks(text):
            if not block.run:
                continue
            lines = []
            for step in block.steps:
                got = run_step(step, folder, env, check=not block.compare)
                keep = not block.compare or same(step.shown, got)
                lines += [f"$ {step.command}", *(step.shown if keep else got)]
            pieces += [text[last:block.start], "\n".join(lines) + "\n"]
            last = block.end
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return "".join([*pieces, text[last:]])


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    if "--update" in argv:
        README.write_text(update(text), encoding="utf-8")
        return 0
    problems = check(text)
    print("\n\n".join(problems) if problems else "README examples: all match")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
