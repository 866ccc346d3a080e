"""The writer's report index keeps each term's keys in a tuple while few, a set when many:
whichever it holds, lookups give what a plain dict of sets would."""

from __future__ import annotations

import random

from kg.identity import index


def test_scale_index_small_and_large_key_lists_agree_with_sets() -> None:
    rng = random.Random(7)
    table: dict[str, index.Keys] = {}
    reference: dict[str, set[str]] = {}
    for _ in range(4000):
        term, key = f"t{rng.randrange(4)}", f"k{rng.randrange(3 * index.SMALL)}"
        if rng.random() < 0.6:
            index._put(table, term, key)
            reference.setdefault(term, set()).add(key)
        else:
            index._drop(table, term, key)
            reference.get(term, set()).discard(key)
            if not reference.get(term, True):
                del reference[term]
        assert {t: set(keys) for t, keys in table.items()} == reference
        assert all(len(keys) == len(set(keys)) for keys in table.values())
    assert any(isinstance(keys, set) for keys in table.values())  # both kinds were exercised
