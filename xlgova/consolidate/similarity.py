"""Near-identical narrative across many agencies, in linear time: shingles, MinHash, LSH buckets.

Pairwise ``difflib`` is quadratic — 10,000 agencies would mean 50 million comparisons. Each text instead
gets a MinHash signature (computed in the worker process); texts that share a band of their signature
fall into one bucket, and each text is compared with the first text of its buckets only.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np

SHINGLE = 4  # characters per shingle: short enough for Chinese, long enough to carry meaning
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.6 Jaccard almost always meet in some bucket
MIN_CHARS = 80  # shorter texts ("无其他需要报告的事项。") are legitimately the same everywhere
THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets

_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20211)
_A = _rng.integers(1, 1 << 31, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, PERMUTATIONS, dtype=np.uint64)
_WS = re.compile(r"\s+")


def clean(text: str) -> str:
    return _WS.sub("", text or "")


_K = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)
_MIX = np.uint64(0xFF51AFD7ED558CCD)


def shingles(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the text's 4-character shingles, vectorised (same in every process)."""
    codes = np.frombuffer(clean(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = sum(codes[i : i + n] * _K[i] for i in range(SHINGLE))
    h ^= h >> np.uint64(29)
    h *= _MIX
    h ^= h >> np.uint64(32)
    return np.unique(h & np.uint64(0xFFFFFFFF))


def signature(text: str) -> tuple[int, ...] | None:
    """MinHash signature of a text, or None when it is too short to judge."""
    if len(clean(text)) < MIN_CHARS:
        return None
    sh = shingles(text)
    # (a*x + b) mod 2**32 per permutation; uint64 arithmetic wraps, the mask keeps 32 bits.
    hashed = (_A[:, None] * sh[None, :] + _B[:, None]) & np.uint64(0xFFFFFFFF)
    return tuple(int(v) for v in hashed.min(axis=1))


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
