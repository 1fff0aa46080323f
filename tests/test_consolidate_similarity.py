"""MinHash signatures and exact Jaccard against a plain-Python statement of the same definitions.

Signatures are computed in worker processes (on any machine) and compared in the main one, so their values
are pinned here, not only their use.
"""
from __future__ import annotations

import random

import pytest

from xlgova.consolidate import similarity
from xlgova.consolidate.similarity import MIN_CHARS, PERMUTATIONS, SHINGLE, jaccard, near_duplicates, signature

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1


def shingle_hashes(text: str) -> set[int]:
    """The 32-bit hash of each distinct 4-character shingle, in Python integers."""
    k = [int(x) for x in similarity._K]
    mix = int(similarity._MIX)
    text = "".join(text.split())
    out = set()
    for i in range(len(text) - SHINGLE + 1):
        h = sum(ord(ch) * k[j] for j, ch in enumerate(text[i : i + SHINGLE])) & M64
        h ^= h >> 29
        h = (h * mix) & M64
        h ^= h >> 32
        out.add(h & M32)
    return out


def reference_signature(text: str) -> tuple[int, ...] | None:
    if len("".join(text.split())) < MIN_CHARS:
        return None
    hashes = shingle_hashes(text)
    return tuple(min((int(a) * x + int(b)) & M32 for x in hashes) for a, b in zip(similarity._A, similarity._B))


def texts(seed: int, n: int = 12) -> list[str]:
    rng = random.Random(seed)
    alphabet = "政府信息公开申请本年度收到办理结转规范性文件监督保障平台建设，。、 \n\u30000123456789"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(3))
def test_signature_is_the_minimum_of_each_permutation_over_distinct_shingles(seed):
    for text in texts(seed):
        got = signature(text)
        assert got == reference_signature(text)
        assert got is None or (len(got) == PERMUTATIONS and all(type(v) is int for v in got))


def test_signature_needs_enough_text():
    assert signature("无其他需要报告的事项。") is None
    assert signature("本机关" * 30) is not None


@pytest.mark.parametrize("seed", range(3))
def test_jaccard_is_exact_on_shingle_sets(seed):
    items = texts(seed)
    for a, b in zip(items, items[1:] + [items[0][:200] + "另"]):
        sa, sb = shingle_hashes(a), shingle_hashes(b)
        expected = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
        assert jaccard(a, b) == expected


def test_near_duplicates_pairs_a_copy_with_its_original_only():
    base = texts(7, 3)
    copy = base[0][:-3] + "有改动"
    items = [("a", signature(base[0])), ("b", signature(base[1])), ("c", signature(copy)), ("d", signature("短"))]
    found = near_duplicates(items)
    assert [(x, y) for x, y, _ in found] == [("c", "a")]
    assert found[0][2] >= 0.8
