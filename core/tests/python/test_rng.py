"""careguard's deterministic test RNG, written from docs/FORMAT.md ("The test RNG") only.

The Rust generators (core/tests/support/mod.rs) draw every random byte of the committed
vectors from this stream, so the cross-checks can rebuild those bytes here instead of
taking them from the vector files.
"""

import hashlib
import struct


class TestRng:
    """SHA-256(label | u64_be(i)) blocks for i = 0, 1, ..., read as one stream."""

    __test__ = False  # a helper, not a pytest test class

    def __init__(self, label):
        self.label = label.encode()
        self.counter = 0
        self.buffer = b""

    def bytes(self, n):
        while len(self.buffer) < n:
            self.buffer += hashlib.sha256(self.label + struct.pack(">Q", self.counter)).digest()
            self.counter += 1
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def next_u32(self):
        return struct.unpack("<I", self.bytes(4))[0]

    def next_u64(self):
        return struct.unpack("<Q", self.bytes(8))[0]


STREAM = bytes.fromhex(
    "330dbfde9c627b89ad3f5540caa4defa3dbe353bcbcefc0d2ad16d71d755b0bb"
    "b463ee6630003816579c9c62223b08b70ba576f27ca4f53f7cfcf0d90c9a25b6"
    "fb494903a02a480c84df62b69495f09b6073a4493eb9bd9fe2b244f996d9ebe0"
)


def test_stream_is_the_one_format_md_gives():
    assert TestRng("careguard test rng").bytes(96) == STREAM
    rng = TestRng("careguard test rng")
    pieces = b"".join(rng.bytes(n) for n in (1, 15, 16, 31, 1))
    pieces += struct.pack("<I", rng.next_u32()) + struct.pack("<Q", rng.next_u64())
    assert pieces == STREAM[: len(pieces)]
