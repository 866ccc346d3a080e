"""The README's console examples run, and print what the README shows (tests/readme.py)."""

from __future__ import annotations

from tests.readme import README, blocks, check


def test_readme_has_examples_that_run() -> None:
    found = blocks(README.read_text(encoding="utf-8"))
    assert sum(len(b.steps) for b in found if b.run and b.compare) >= 5


def test_readme_examples_print_what_the_readme_shows() -> None:
    problems = check(README.read_text(encoding="utf-8"))
    assert not problems, "README.md differs from what kg prints (python tests/readme.py --update):\n\n" + "\n\n".join(problems)
