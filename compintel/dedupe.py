"""Near-duplicate detection for syndicated copies of one story (MinHash + LSH banding).

A story is reduced to the set of its word 3-shingles (lower-cased, NFKC, punctuation and
apostrophes dropped, numbers kept with their thousands separators removed), and that set to
a 128-value MinHash :func:`signature` (datasketch, fixed seed and hash: equal in every
process). :func:`band_keys` cuts the signature into 32 bands of 4 values; two documents that
share any band key are *candidates*, and :func:`similarity` (estimated Jaccard) decides.

Why 32 × 4: the chance that two texts of Jaccard similarity *s* share a band is
1 - (1 - s⁴)³². At *s* = 0.7 (:data:`DUPLICATE_THRESHOLD`) that is 0.9998, at 0.5 it is 0.87,
at 0.1 (two stories on one topic) 0.003. The store asks for :data:`MIN_SHARED_BANDS` (2) shared
bands before comparing: a single shared band is mostly shared boilerplate, and in a store of
many similar texts such pairs grow with the store (3,000 generated pages: 61,997 pairs sharing
one band, 264 sharing two or more), while copies share many — at *s* = 0.7 the chance of two or
more is still 0.998, at 0.8 above 0.99999.

Pass the body text, not the headline: syndicated copies often get a new headline. Texts
shorter than three words are one shingle (two such texts match only if equal); a text with
no words has an empty signature, no band keys, and similarity 0 to everything.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 3
SEED = 20260901
SCHEME = "affine32"
DUPLICATE_THRESHOLD = 0.7
MIN_SHARED_BANDS = 2
# Part of every band key and the stored bytes' check: bump "m1" when the normalisation, the
# seed or the scheme changes, so that old keys never match new ones.
KEY_VERSION = f"m1.{SHINGLE_WORDS}.{NUM_PERM}.{BANDS}"
_MAGIC = b"CIMH1"
_KEY_PREFIX = KEY_VERSION.encode("ascii")

Signature = LeanMinHash

_NUMBER = re.compile(r"(?<=\d)[,\u066c](?=\d)")  # 5,00,000 and 500,000 → 500000
_APOSTROPHE = re.compile(r"['\u2019\u02bc]")
_TOKEN = re.compile(r"\d+(?:\.\d+)*|[^\W_]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def words(text: str) -> list[str]:
    """The normalised words of ``text``: lower-case, no punctuation, numbers kept."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _APOSTROPHE.sub("", _NUMBER.sub("", text))
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of ``size``-word shingles of ``text`` (one shingle if it is shorter)."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


@cache
def _template() -> MinHash:
    # Permutations are drawn once per process; the seed makes them the same everywhere.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def signature(text: str) -> Signature:
    """The MinHash signature of ``text``'s shingles (deterministic across processes)."""
    template = _template()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                      permutations=template.permutations)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(text)])
    return LeanMinHash(minhash)


def band_keys(sig: Signature) -> list[int]:
    """LSH band keys of ``sig``: per band, a signed 64-bit integer hashed from the key version,
    the band's number and its values (compact to store and index); empty for an empty text."""
    if sig.is_empty():
        return []
    values = np.asarray(sig.hashvalues, dtype="<u4")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(_KEY_PREFIX + bytes((band,)) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 if either is empty)."""
    if a.is_empty() or b.is_empty():
        return 0.0
    return float(a.jaccard(b))


def is_near_duplicate(a: Signature, b: Signature,
                      threshold: float = DUPLICATE_THRESHOLD) -> bool:
    """True if ``a`` and ``b`` are copies of one story by :data:`DUPLICATE_THRESHOLD`."""
    return similarity(a, b) >= threshold


def signature_to_bytes(sig: Signature) -> bytes:
    """A portable encoding of ``sig`` for the store (fixed byte order, versioned)."""
    values = np.asarray(sig.hashvalues, dtype="<u4")
    header = _MAGIC + struct.pack("<qH", int(sig.seed), len(values))
    return header + values.tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    """The signature :func:`signature_to_bytes` wrote; ValueError if ``data`` is not one."""
    size = len(_MAGIC) + struct.calcsize("<qH")
    if len(data) < size or not data.startswith(_MAGIC):
        raise ValueError("not a compintel MinHash signature")
    seed, count = struct.unpack_from("<qH", data, len(_MAGIC))
    if seed != SEED or count != NUM_PERM or len(data) != size + 4 * count:
        raise ValueError(f"signature with seed {seed} and {count} values; this version "
                         f"uses seed {SEED} and {NUM_PERM} (recompute it from the text)")
    values = np.frombuffer(data, dtype="<u4", offset=size).astype(np.uint32)
    return LeanMinHash(seed=seed, hashvalues=values, scheme=SCHEME)
