"""Near-identical narrative across many agencies, in linear time: shingles, MinHash, LSH buckets.

Pairwise ``difflib`` is quadratic — 10,000 agencies would mean 50 million comparisons. Each text instead
gets a MinHash signature (computed in the worker process); texts that share a band of their signature
fall into one bucket, and each text is compared with the first text of its buckets only.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np

SHINGLE = 4  # characters per shingle: short enough for Chinese, long enough to carry meaning
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.6 Jaccard almost always meet in some bucket
MIN_CHARS = 80  # shorter texts ("无其他需要报告的事项。") are legitimately the same everywhere
THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets

# The permutations are (a*x + b) mod 2**32: in uint32, whose wrap-around is that modulo. a and b are drawn
# as uint64 as they always were: every worker (on any machine) must draw the same permutations.
_rng = np.random.default_rng(20211)
_A = _rng.integers(1, 1 << 31, PERMUTATIONS, dtype=np.uint64).astype(np.uint32)
_B = _rng.integers(0, 1 << 31, PERMUTATIONS, dtype=np.uint64).astype(np.uint32)


def clean(text: str) -> str:
    """The text without white space (str.split() drops the characters regex ``\\s`` matches, and faster)."""
    return "".join((text or "").split())


_K = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)
_MIX = np.uint64(0xFF51AFD7ED558CCD)


def shingles(text: str) -> np.ndarray:
    """32-bit hashes of the text's 4-character shingles, vectorised (same in every process).

    Repeated shingles are kept: a minimum and a set do not care, and sorting them out costs more than the rest.
    """
    return _shingle_hashes(clean(text))


def _shingle_hashes(cleaned: str) -> np.ndarray:
    codes = np.frombuffer(cleaned.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    h = codes[:n] * _K[0]
    for i in range(1, SHINGLE):
        h += codes[i : i + n] * _K[i]
    h ^= h >> np.uint64(29)
    h *= _MIX
    h ^= h >> np.uint64(32)
    return h.astype(np.uint32)  # the low 32 bits


def signature(text: str) -> tuple[int, ...] | None:
    """MinHash signature of a text, or None when it is too short to judge."""
    cleaned = clean(text)
    if len(cleaned) < MIN_CHARS:
        return None
    hashed = np.multiply.outer(_A, _shingle_hashes(cleaned))  # one row per permutation
    hashed += _B[:, None]
    return tuple(hashed.min(axis=1).tolist())


def estimate(a: Sequence[int], b: Sequence[int]) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.count_nonzero(a == b)) / len(a)


def jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a).tolist()), set(shingles(b).tolist())
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def near_duplicates(items: Iterable[tuple[object, Sequence[int] | None]], threshold: float = THRESHOLD) -> list[tuple[object, object, float]]:
    """(item, earlier item it nearly copies, estimated similarity), one pair per copying item.

    Items are (key, signature); the earlier item of each pair is the first one met in a shared bucket.
    """
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple, object] = {}
    sigs: dict[object, Sequence[int]] = {}
    out = []
    for key, sig in items:
        if sig is None:
            continue
        sig = np.asarray(sig, dtype=np.uint64)
        sigs[key] = sig
        best = None
        for band in range(BANDS):
            bucket = (band, sig[band * rows : (band + 1) * rows].tobytes())
            first = buckets.setdefault(bucket, key)
            if first != key:
                s = estimate(sig, sigs[first])
                if s >= threshold and (best is None or s > best[1]):
                    best = (first, s)
        if best is not None:
            out.append((key, best[0], best[1]))
    return out


def group_identical(items: Iterable[tuple[object, object]]) -> list[list[object]]:
    """Groups of keys sharing one fingerprint (fingerprint None is skipped)."""
    groups: dict[object, list[object]] = defaultdict(list)
    for key, fp in items:
        if fp is not None:
            groups[fp].append(key)
    return [g for g in groups.values() if len(g) > 1]
