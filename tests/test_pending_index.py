"""The change counter a duplicate index expects of storage (:mod:`api.services.pending_index`): the running sum
and largest id of :class:`Versions` give what summing the versions anew gives, through sets, updates and pops."""
from __future__ import annotations

import random

from api.services.pending_index import Versions, expected_counter


def test_versions_keep_the_counter_that_a_plain_mapping_gives() -> None:
    rng = random.Random(7)
    kept, plain = Versions(), {}
    for _ in range(3000):
        key = rng.randrange(1, 60)
        if rng.random() < 0.35:
            assert kept.pop(key, None) == plain.pop(key, None)
        else:
            kept[key] = plain[key] = rng.randrange(1, 5)
        written = [(rng.randrange(1, 80), "h", rng.choice([None, 1, 2, 3]), None) for _ in range(rng.randrange(3))]
        assert expected_counter(kept, written) == expected_counter(plain, written)
        assert (kept.total, kept.top) == (sum(plain.values()), max(plain, default=0))


def test_del_and_update_keep_the_counter_too() -> None:
    kept = Versions()
    kept.update({3: 2, 9: 1})
    kept.update([(4, 5)], **{})
    del kept[9]
    assert (kept.total, kept.top, dict(kept)) == (7, 4, {3: 2, 4: 5})
