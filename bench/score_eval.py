"""Build each held-out article (eval/articles) into a store of its own and score it with
kgeval.py (../shared/tools/kgeval.py) or, without it, with `kg eval`. Prints one table.

usage: python bench/score_eval.py [--detail] [NAME ...]
(each article alone, as the contract scores them; totals are micro-averaged)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KGEVAL = ROOT.parent / "shared" / "tools" / "kgeval.py"
KG = [sys.executable, "-m", "kg.cli"]


KEYS = ["entities_typed", "entities_untyped", "meetings", "cooperation", "claims", "invitations"]


def main(argv: list[str]) -> None:
    detail = "--detail" in argv
    names = [a for a in argv if not a.startswith("--")]
    golds = [g for g in sorted((ROOT / "eval" / "gold").glob("*.yaml")) if not names or g.stem in names]
    totals = {k: [0, 0, 0] for k in KEYS}
    print(f"{'article':<24}" + "".join(f"{k[:14]:>16}" for k in KEYS))
    with tempfile.TemporaryDirectory() as tmp:
        for gold in golds:
            result = score_one(gold, Path(tmp))
            summary = result["summary"]
            for k in KEYS:
                for i, part in enumerate(("tp", "fp", "fn")):
                    totals[k][i] += summary[k][part]
            print(f"{gold.stem:<24}" + "".join(f"{summary[k]['f1']:>16.3f}" for k in KEYS))
            if detail:
                art = result["per_article"][0]
                for k in ("entities_missing", "entities_spurious", "entities_wrong_type", "cooperation_missing",
                          "cooperation_spurious", "meetings_system"):
                    if art.get(k):
                        print(f"    {k}: {art[k]}")
                for k in KEYS[2:]:
                    print(f"    {k}: {summary[k]['tp']}/{summary[k]['fp']}/{summary[k]['fn']}")
    print(f"{'micro-average F1':<24}" + "".join(f"{f1(*totals[k]):>16.3f}" for k in KEYS))


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def score_one(gold: Path, tmp: Path) -> dict:
    """Build the gold's article alone, export N-Quads, score with kgeval.py (or kg eval)."""
    article = next(line.split(":", 1)[1].strip() for line in gold.read_text().splitlines() if line.startswith("file:"))
    store, dump = tmp / gold.stem, tmp / f"{gold.stem}.nq"
    subprocess.run([*KG, "build", str(ROOT / "eval" / "articles" / article), "--store", str(store), "--quiet"],
                   check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*KG, "export", "--store", str(store), "--format", "nquads", "--out", str(dump)],
                   check=True, capture_output=True, cwd=ROOT)
    if KGEVAL.exists():
        cmd = [sys.executable, str(KGEVAL), str(dump), str(gold), "--json"]
    else:
        cmd = [*KG, "eval", str(gold), "--store", str(store), "--json"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
