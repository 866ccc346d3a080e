"""The wheel works on its own: built, installed in a fresh virtual environment with the pinned
model, it runs the README's pip quick start and Python snippet from a folder outside the checkout.

Slow (a minute or two: pip installs spaCy and the rest from the local package caches), and run in
CI like every other test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import QUERIES, ROOT, SEEDS

pytestmark = pytest.mark.slow
SKIP = {".git", ".venv", ".kg", "out", "build", "__pycache__", ".pytest_cache", ".mypy_cache"}


def _readme_blocks(section: str, lang: str) -> list[str]:
    """The ``lang`` code blocks of the README section whose heading is ``section``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = re.search(rf"^#+ {re.escape(section)}\n", text, re.M)
    assert start, f"README has no section {section!r}"
    body = text[start.end():]
    end = re.search(r"^#+ ", body, re.M)
    body = body[: end.start()] if end else body
    return re.findall(rf"```{lang}\n(.*?)```", body, re.S)


def _commands(block: str) -> list[str]:
    """The shell commands of a README block (comments and blank lines dropped)."""
    lines = (re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _run(args: list[str] | str, *, cwd: Path, env: dict[str, str], timeout: int = 900) -> str:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          shell=isinstance(args, str))
    assert proc.returncode == 0, f"{args} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip wheel --no-deps`` of a copy of the checkout (the build leaves nothing in the tree)."""
    src = tmp_path_factory.mktemp("src") / "kg"
    shutil.copytree(ROOT, src, ignore=lambda _d, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(src)],
         cwd=dist, env=dict(os.environ))
    (found,) = dist.glob("kg-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh virtual environment with the wheel and the pinned model, by the README's pip commands."""
    home = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", str(home)], cwd=home.parent, env=dict(os.environ))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{home / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(home)
    (install,) = [b for b in _readme_blocks("Install with pip", "sh") if "pip install" in b]
    for command in _commands(install):
        command = command.replace("pip install", "python -m pip install --quiet")
        command = re.sub(r" \.$", f" {wheel}", command)  # `pip install .`: the wheel just built
        command = command.replace("requirements-model.txt", str(ROOT / "requirements-model.txt"))
        _run(command, cwd=home.parent, env=env)
    return env


def _outside(tmp_path: Path) -> Path:
    """A working folder away from the checkout holding only a copy of the seed articles."""
    work = tmp_path / "work"
    shutil.copytree(SEEDS, work / "seeds")
    assert ROOT not in work.parents
    return work


def test_install_wheel_holds_the_ontology_and_queries(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in [*(ROOT / "ontology").rglob("*"), *QUERIES.glob("*.rq")]
               if p.is_file()}
    missing = {f for f in shipped if f"kg/_data/{f}" not in names}
    assert not missing, f"not in the wheel: {sorted(missing)}"
    package_files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert not package_files - names, f"not in the wheel: {sorted(package_files - names)}"  # pages, scripts, styles


def test_install_readme_quick_start_runs_outside_the_checkout(venv: dict[str, str], tmp_path: Path) -> None:
    work = _outside(tmp_path)
    (_install, usage) = _readme_blocks("Install with pip", "sh")
    log = "\n".join(_run(command, cwd=work, env=venv) for command in _commands(usage))
    assert "built 1" in log and "conforms: True" in log
    assert (work / "out" / "graph.trig").stat().st_size > 10_000
    assert (work / "out" / "graph.html").is_file()
    where = _run(["python", "-c", "import kg.ontology as o; print(o.ontology_dir()); print(o.queries_dir())"],
                 cwd=work, env=venv)
    assert str(ROOT) not in where and "site-packages" in where  # read from the installed package


def test_install_readme_python_snippet_runs_outside_the_checkout(venv: dict[str, str], tmp_path: Path) -> None:
    work = _outside(tmp_path)
    (snippet,) = _readme_blocks("From Python", "python")
    script = snippet + "\nassert rows, rows\nprint(len(graph), 'nodes')\n"
    log = _run(["python", "-c", script], cwd=work, env=venv)
    assert re.search(r"^\d+ nodes$", log, re.M)
    assert (work / "out" / "graph.ttl").stat().st_size > 10_000


def test_install_reads_html_pages(venv: dict[str, str], tmp_path: Path) -> None:
    """An HTML page reads in the installed package too: trafilatura's cleaner (lxml_html_clean)
    is a dependency of kg's own, since lxml 6 ships neither it nor its html_clean extra, and
    without it every page was skipped."""
    work = _outside(tmp_path)
    page = work / "page.html"
    page.write_bytes((ROOT / "eval" / "articles" / "election.html").read_bytes())
    log = _run(["kg", "build", str(page), "--store", str(work / "s"), "--quiet"], cwd=work, env=venv)
    assert "built 1" in log and "skipped 0" in log, log
