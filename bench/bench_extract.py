"""Extraction throughput beside spaCy's own en_core_web_sm nlp.pipe on the same texts.

Both run in this process, one after the other, over the same articles (the seeds, the
held-out eval articles and the 12-article identity corpus, repeated to ~300 articles).
The graph-building work should cost less than the model it runs: kg's extraction
(model + stages + mapping to triples) must reach at least half of nlp.pipe alone.

usage: python bench/bench_extract.py [--repeat N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import ingest, mapping  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.nlp import MODELS  # noqa: E402
from kg.model import Article  # noqa: E402
from kg.pipeline import load_project_resources  # noqa: E402


def corpus(repeat: int) -> list[Article]:
    folders = [ROOT / "seeds", ROOT / "eval" / "articles", ROOT / "tests" / "data" / "corpus12"]
    arts = [a for a in ingest.iter_articles(folders) if isinstance(a, Article)]
    return arts * repeat


def spacy_alone(texts: list[str]) -> float:
    import spacy

    for name in MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - start


def kg_extract(articles: list[Article]) -> tuple[float, int]:
    extractor = Extractor(load_project_resources())
    start = time.perf_counter()
    triples = 0
    for ex in extractor.extract_all(articles):
        triples += len(mapping.extraction_triples(ex))
    return time.perf_counter() - start, triples


def main(argv: list[str]) -> None:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 14
    articles = corpus(repeat)
    texts = [a.body for a in articles]
    words = sum(len(t.split()) for t in texts)
    kg_extract(articles[:5])  # warm up: model load and first-call costs are not throughput
    t_spacy = spacy_alone(texts)
    t_kg, triples = kg_extract(articles)
    print(f"{len(articles)} articles, {words} words, one process\n")
    print(f"{'':<32}{'seconds':>10}{'articles/s':>12}{'words/s':>10}")
    for name, t in (("spaCy en_core_web_sm nlp.pipe", t_spacy), ("kg extraction (+ triples)", t_kg)):
        print(f"{name:<32}{t:>10.2f}{len(articles) / t:>12.1f}{words / t:>10.0f}")
    ratio = t_spacy / t_kg
    print(f"\nkg reaches {ratio:.2f} of nlp.pipe's throughput ({triples} triples); target >= 0.50: "
          f"{'met' if ratio >= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main(sys.argv[1:])
