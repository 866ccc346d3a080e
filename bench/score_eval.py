"""Build each evaluation article into a store of its own and score it with kgeval.py
(../shared/tools/kgeval.py) or, without it, with `kg eval`. Prints one row per article, the
micro-averaged F1 over them, and the same micro-average by article shape (the gold's `shape:`).

usage: python bench/score_eval.py [--set dev|heldout|heldout2|heldout3|heldout4|heldout5|all] [--detail] [NAME ...]

Sets: `dev` (the default) is eval/articles + eval/gold; `heldout` is eval/heldout/articles +
eval/heldout/gold, and likewise `heldout2` ... `heldout5` (each scored once, unseen, at the end of
a session; all seen now); `all` is dev and every seen set-aside part. A new set-aside part gets a
set of its own here and stays out of `all` until it has been scored once.
Each article is scored alone, as the contract scores them; totals are micro-averaged (summed
tp/fp/fn, then F1).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KGEVAL = ROOT.parent / "shared" / "tools" / "kgeval.py"
KG = [sys.executable, "-m", "kg.cli"]

KEYS = ["entities_typed", "entities_untyped", "meetings", "cooperation", "claims", "invitations"]
SHAPES = ["readout", "wire", "liveblog", "analysis", "brief"]
DEFAULT_SHAPE = "wire"  # gold files written before shapes were recorded are mostly wire reports
SETS = {
    "dev": [ROOT / "eval"],
    "heldout": [ROOT / "eval" / "heldout"],
    "heldout2": [ROOT / "eval" / "heldout2"],
    "heldout3": [ROOT / "eval" / "heldout3"],
    "heldout4": [ROOT / "eval" / "heldout4"],
    "heldout5": [ROOT / "eval" / "heldout5"],
    # never an unscored set-aside part: "all" is what developers run, and such a part is scored alone, once
    "all": [ROOT / "eval", *(ROOT / "eval" / f"heldout{n}" for n in ("", "2", "3", "4", "5"))],
}


@dataclass(frozen=True)
class Case:
    """One gold file and the article it describes."""

    gold: Path
    article: Path
    shape: str


def main(argv: list[str]) -> None:
    detail = "--detail" in argv
    chosen, names = parse_args(argv)
    cases = [c for c in collect(SETS[chosen]) if not names or c.gold.stem in names]
    totals: dict[str, dict[str, list[int]]] = {}
    print(f"set: {chosen} ({len(cases)} articles)")
    print(f"{'article':<34}{'shape':<10}" + "".join(f"{k[:14]:>16}" for k in KEYS))
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            result = score_one(case, Path(tmp))
            summary = result["summary"]
            for group in ("all", case.shape):
                add(totals.setdefault(group, {k: [0, 0, 0] for k in KEYS}), summary)
            print(f"{case.gold.stem:<34}{case.shape:<10}" + "".join(f"{summary[k]['f1']:>16.3f}" for k in KEYS))
            if detail:
                print_detail(result)
    print_totals(totals)


def parse_args(argv: list[str]) -> tuple[str, list[str]]:
    """The chosen set (`--set NAME` or `--set=NAME`, default dev) and the article names."""
    chosen, names, args = "dev", [], iter(argv)
    for arg in args:
        if arg in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        if arg == "--set":
            chosen = next(args, "")
        elif arg.startswith("--set="):
            chosen = arg.split("=", 1)[1]
        elif not arg.startswith("--"):
            names.append(arg)
    if chosen not in SETS:
        sys.exit(f"score_eval: unknown set {chosen!r} (expected one of: {', '.join(SETS)})")
    return chosen, names


def collect(folders: list[Path]) -> list[Case]:
    """Every gold file under each folder's gold/, with its article under articles/ and its shape."""
    cases = []
    for folder in folders:
        for gold in sorted((folder / "gold").glob("*.yaml")):
            data = yaml.safe_load(gold.read_text(encoding="utf-8"))
            shape = str(data.get("shape") or DEFAULT_SHAPE)
            cases.append(Case(gold, folder / "articles" / str(data["file"]), shape))
    return cases


def add(into: dict[str, list[int]], summary: dict) -> None:
    """Add one article's tp/fp/fn per measure to a running total."""
    for k in KEYS:
        for i, part in enumerate(("tp", "fp", "fn")):
            into[k][i] += summary[k][part]


def print_detail(result: dict) -> None:
    """What was missed, spurious or mistyped in one article, and its tp/fp/fn per fact kind."""
    art, summary = result["per_article"][0], result["summary"]
    for k in ("entities_missing", "entities_spurious", "entities_wrong_type", "cooperation_missing",
              "cooperation_spurious", "meetings_system"):
        if art.get(k):
            print(f"    {k}: {art[k]}")
    for k in KEYS[2:]:
        print(f"    {k}: {summary[k]['tp']}/{summary[k]['fp']}/{summary[k]['fn']}")


def print_totals(totals: dict[str, dict[str, list[int]]]) -> None:
    """The micro-averaged F1 over all articles, then by shape (shapes with no article are left out)."""
    if "all" not in totals:
        print("no articles scored")
        return
    print(f"{'micro-average F1':<44}" + "".join(f"{f1(*totals['all'][k]):>16.3f}" for k in KEYS))
    print("by shape (micro-average F1):")
    known = [s for s in SHAPES if s in totals] + sorted(set(totals) - set(SHAPES) - {"all"})
    for shape in known:
        print(f"  {shape:<42}" + "".join(f"{f1(*totals[shape][k]):>16.3f}" for k in KEYS))


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def score_one(case: Case, tmp: Path) -> dict:
    """Build the gold's article alone, export N-Quads, score with kgeval.py (or kg eval)."""
    stem = f"{case.gold.parent.parent.name}-{case.gold.stem}"
    store, dump = tmp / stem, tmp / f"{stem}.nq"
    subprocess.run([*KG, "build", str(case.article), "--store", str(store), "--quiet"],
                   check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*KG, "export", "--store", str(store), "--format", "nquads", "--out", str(dump)],
                   check=True, capture_output=True, cwd=ROOT)
    if KGEVAL.exists():
        cmd = [sys.executable, str(KGEVAL), str(dump), str(case.gold), "--json"]
    else:
        cmd = [*KG, "eval", str(case.gold), "--store", str(store), "--json"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
