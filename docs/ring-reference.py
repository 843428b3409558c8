#!/usr/bin/env python3
"""A slow, literal transcription of docs/ring.md: where a key goes and which nodes hold its copies.

It exists so that a client in another language has a second, short implementation to compare
against. Run it to print the test vectors of docs/ring.md:

    python3 docs/ring-reference.py
"""
import hashlib
import math
import struct


def f32(x):
    """Rounds a Python float (a double) to IEEE single precision, as a C float variable would."""
    return struct.unpack("f", struct.pack("f", x))[0]


def fnv1a_64(key: bytes) -> int:
    """twemproxy's fnv1a_64: 32-bit arithmetic, key bytes sign-extended (C char is signed)."""
    h = 0x84222325
    for b in key:
        h ^= b if b < 0x80 else b | 0xFFFFFF00
        h = (h * 0x1B3) & 0xFFFFFFFF
    return h


def hashed_part(key: bytes, tag: bytes = b"{}") -> bytes:
    if not tag:
        return key
    start = key.find(tag[:1])
    if start < 0:
        return key
    end = key.find(tag[1:2], start + 1)
    return key[start + 1:end] if end - start > 1 else key


def key_hash(key: bytes, tag: bytes = b"{}") -> int:
    part = hashed_part(key, tag)
    return 0 if len(part) == 0 else fnv1a_64(part)


def point_count(weight: int, total_weight: int, live: int) -> int:
    pct = f32(f32(weight) / f32(total_weight))
    share = f32(f32(f32(pct * 160.0) / 4.0) * live)
    return int(math.floor(f32(share + 0.0000000001))) * 4


def continuum(nodes, members):
    """nodes: [(name, weight)]; members: indexes of the nodes in this ring. Returns [(value, index)]."""
    total = sum(nodes[i][1] for i in members)
    points = []
    # twemproxy keeps its servers sorted by name (length first, then bytes); on equal point
    # values that order decides, because the sort below is stable.
    for i in sorted(members, key=lambda m: (len(nodes[m][0].encode()), nodes[m][0].encode())):
        name, weight = nodes[i]
        for h in range(point_count(weight, total, len(members)) // 4):
            text = (name + "-" + str(h)).encode()[:272]
            points.extend((value, i) for value in struct.unpack("<4I", hashlib.md5(text).digest()))
    points.sort(key=lambda p: p[0])  # stable: equal values keep node order
    return points


def dispatch(points, h):
    for value, node in points:
        if value >= h:
            return node
    return points[0][1]


def replica_set(nodes, replicas, h):
    remaining = list(range(len(nodes)))
    copies = []
    while len(copies) < replicas and remaining:
        node = dispatch(continuum(nodes, remaining), h)
        copies.append(node)
        remaining.remove(node)
    return copies


if __name__ == "__main__":
    rings = {
        "A": ([("10.0.0.1:6379", 1), ("10.0.0.2:6379", 1), ("10.0.0.3:6379", 1)], 2),
        "B": ([("cache-a", 1), ("cache-b", 2), ("cache-c", 3), ("cache-d", 4)], 3),
        "C": ([("10.0.0.1:6379", 29), ("10.0.0.2:6379", 30), ("10.0.0.3:6379", 1)], 3),
    }
    keys = ["", "61", "666F6F", "68656C6C6F20776F726C64", "757365723A31303030",
            "7B75736572313030307D2E666F6C6C6F77696E67", "7B75736572313030307D2E666F6C6C6F77657273",
            "7B7D", "666F6F7B7D7B6261727D", "80", "FF", "6BC3A979", "73657373696F6E3A3432",
            "636F756E7465723A37"]
    for label, (nodes, replicas) in rings.items():
        total = sum(w for _, w in nodes)
        print(label, [(n, point_count(w, total, len(nodes))) for n, w in nodes])
        for key in keys:
            h = key_hash(bytes.fromhex(key))
            print(f"  {key or '(empty)':42} fnv1a={fnv1a_64(bytes.fromhex(key)):08x} hash={h:08x}",
                  [nodes[i][0] for i in replica_set(nodes, replicas, h)])
