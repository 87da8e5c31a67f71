#!/usr/bin/env python3
"""Writes a CARv1 whose root directory links two raw files of SIZE random bytes each, the
links' Tsize saying 0: a tree whose declared sizes undercount what it holds.

usage: untold-sizes.py OUT.car SIZE
"""
import hashlib
import os
import sys


def varint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def field(number, payload):
    """A protobuf field: bytes when payload is bytes, else a varint."""
    if isinstance(payload, bytes):
        return varint(number << 3 | 2) + varint(len(payload)) + payload
    return varint(number << 3) + varint(payload)


def cid(codec, data):
    return bytes([1]) + varint(codec) + bytes([0x12, 32]) + hashlib.sha256(data).digest()


out, size = sys.argv[1], int(sys.argv[2])
files = [os.urandom(size) for _ in range(2)]
# DAG-PB: the links (Hash, Name, Tsize) before the data; UnixFS Data {Type: Directory}
node = b"".join(field(2, field(1, cid(0x55, d)) + field(2, b"f%d" % i) + field(3, 0))
                for i, d in enumerate(files)) + field(1, field(1, 1))
root = cid(0x70, node)
# DAG-CBOR {"roots": [root], "version": 1}; a CID is tag 42 over its bytes after a 0x00
header = (b"\xa2" + b"\x65roots" + b"\x81" + b"\xd8\x2a" + bytes([0x58, len(root) + 1]) + b"\x00" + root
          + b"\x67version" + b"\x01")
with open(out, "wb") as f:
    f.write(varint(len(header)) + header)
    for c, d in [(root, node)] + [(cid(0x55, d), d) for d in files]:
        f.write(varint(len(c) + len(d)) + c + d)
