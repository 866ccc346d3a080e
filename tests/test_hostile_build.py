"""kg build on hostile input: one bad article is one line on stderr, never a traceback, never the end
of the build; articles that overrun their time are skipped; workers die with their build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kg.cli import app
from kg.extract import DEFAULT_STAGES
from kg.extract.context import Context
from kg.extract.registry import STAGES, Stage
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus12"
SEED = (CORPUS / "01_putin_pyongyang.txt").read_text(encoding="utf-8")


def corpus(folder: Path, count: int) -> list[Path]:
    """``count`` distinct good articles (the corpus's twelve, then variants of them)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.glob("*.txt"))
    paths = []
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        path = folder / f"good-{i:03d}.txt"
        path.write_text(text + (f"\n\nThis is report number {i}." if i >= len(sources) else ""), encoding="utf-8")
        paths.append(path)
    return paths


def build(runner: CliRunner, folder: Path, store: Path, *args: str) -> Result:
    result = runner.invoke(app, ["build", str(folder), "--store", str(store), "--quiet", *args])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def skipped_lines(result: Result) -> list[str]:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert all(line.startswith("kg: skipped ") for line in lines), result.stderr
    return lines


def count(result: Result, what: str) -> int:
    return int(result.stdout.split(f"{what} ", 1)[1].split(",")[0].split(";")[0].split()[0])


def test_hostile_build_bad_articles_cost_one_line_each(runner: CliRunner, tmp_path: Path) -> None:
    """The four files of issue 12 that stopped a build with a traceback."""
    folder = tmp_path / "in"
    corpus(folder, 1)
    (folder / "url.md").write_text('---\ntitle: Angle brackets\nurl: "https://example.org/a<b>?q=\\"x\\""\n---\n'
                                   "Vladimir Putin met Kim Jong Un in Pyongyang on Wednesday.\n", encoding="utf-8")
    (folder / "surrogate.json").write_text('{"title": "Half an emoji \\ud83d", "text": "Putin spoke."}', encoding="utf-8")
    (folder / "huge.txt").write_text(" date 2025-01-01 Huge\n\n" + "Putin met Kim in Pyongyang. " * 36_000, encoding="utf-8")
    runon = "Vladimir Putin met " + " ".join(["the friend of"] * 500) + " Kim Jong Un in Pyongyang."
    (folder / "runon.txt").write_text(f" date 2025-01-02 A run-on sentence\n\n{runon}\n", encoding="utf-8")
    assert len(runon) > 6000

    result = build(runner, folder, tmp_path / "s", "-j", "1")
    assert result.exit_code == 0, result.output
    lines = skipped_lines(result)
    assert len(lines) == 2, lines
    assert "surrogate.json: not valid Unicode text: a lone surrogate \\ud83d" in lines[1]
    assert "huge.txt: article body too long (1,007,999 characters; limit 1,000,000" in lines[0]
    assert count(result, "read") == 3 and count(result, "built") == 3  # the URL and the run-on sentence build

    urls = runner.invoke(app, ["query", "SELECT ?u WHERE { ?a schema:url ?u }", "--store", str(tmp_path / "s"),
                               "--format", "tsv"])
    assert urls.stdout.splitlines()[1:] == ["https://example.org/a%3Cb%3E?q=%22x%22"]  # a valid IRI, as browsers encode it


def crash(ctx: Context) -> None:
    """A plugin stage that raises on a marked article."""
    if "CRASH-ME" in ctx.article.body:
        raise RuntimeError("this stage cannot read CRASH-ME")


def spin(ctx: Context) -> None:
    """A plugin stage that never ends on a marked article."""
    while "SPIN-ME" in ctx.article.body:
        pass


@pytest.fixture()
def hostile_stages(monkeypatch: pytest.MonkeyPatch) -> str:
    """Two plugin stages registered in this process (workers are sent them: kg.parallel) that
    misbehave on marked articles: one raises, one never ends."""
    monkeypatch.setitem(STAGES, "test-crash", Stage("test-crash", crash))
    monkeypatch.setitem(STAGES, "test-spin", Stage("test-spin", spin))
    return ",".join([*DEFAULT_STAGES, "test-crash", "test-spin"])


@pytest.mark.parametrize("workers", [1, 2])
def test_hostile_build_failing_and_endless_articles_are_skipped(runner: CliRunner, tmp_path: Path, hostile_stages: str,
                                                                workers: int) -> None:
    """Per article, in this process and in worker processes: an error or an overrun skips it."""
    good = 26 if workers > 1 else 6  # two workers need 24 articles to be worth starting
    folder = tmp_path / "in"
    corpus(folder, good)
    (folder / "crash.txt").write_text(SEED + "\n\nCRASH-ME\n", encoding="utf-8")
    (folder / "spin.txt").write_text(SEED + "\n\nSPIN-ME\n", encoding="utf-8")
    started = time.monotonic()
    result = build(runner, folder, tmp_path / "s", "-j", str(workers), "--stages", hostile_stages,
                   "--article-timeout", "3")
    assert result.exit_code == 0, result.output
    assert sorted(line.split(str(folder) + os.sep)[1] for line in skipped_lines(result)) == [
        "crash.txt: extraction failed: RuntimeError: this stage cannot read CRASH-ME",
        "spin.txt: extraction took longer than 3 s (raise --article-timeout to allow more)",
    ]
    assert count(result, "read") == good + 2 and count(result, "built") == good
    assert time.monotonic() - started < 240


def test_hostile_build_a_stage_workers_cannot_import_is_one_error(runner: CliRunner, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start afresh: a stage registered here from a function's body cannot reach them,
    and the build says so in one line (with one process it runs)."""
    def local(ctx: Context) -> None:
        return None

    monkeypatch.setitem(STAGES, "test-local", Stage("test-local", local))
    folder = tmp_path / "in"
    corpus(folder, 26)
    stages = ",".join([*DEFAULT_STAGES, "test-local"])
    result = build(runner, folder, tmp_path / "s", "-j", "2", "--stages", stages)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "'test-local' cannot be sent to worker processes" in lines[0], result.stderr
    alone = build(runner, folder, tmp_path / "s1", "-j", "1", "--stages", stages)
    assert alone.exit_code == 0 and count(alone, "built") == 26, alone.output


def _children(pid: int) -> set[int]:
    """Live (not zombie) child processes of ``pid``, from /proc."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid and stat[0] != "Z":
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_hostile_build_sigkilled_build_leaves_no_workers(tmp_path: Path) -> None:
    corpus(tmp_path / "in", 30)
    cmd = [sys.executable, "-m", "kg.cli", "build", str(tmp_path / "in"), "--store", str(tmp_path / "s"), "-q", "-j", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) == 2, "the build never started its two workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        gone_by = time.monotonic() + 10
        while time.monotonic() < gone_by and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "extraction workers outlived their build"
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
