# Ring buffer of the most recent frames (all types), the one queue between the sampler and the links.
#
# Frames are numbered by an absolute counter `n` (0, 1, 2, ... since power-on); the wire seq is n & 0xFFFF.
# Slots are fixed-size and allocated once; a data frame is encoded straight into its slot.
# A Cursor is a link's reading position; it can be moved back to a seq for a resend after a reconnect.

from array import array

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


SLOT_BYTES = const(240)  # >= the largest frame (238-byte data frame), 4-byte aligned


class Ring:
    def __init__(self, nslots):
        self.nslots = nslots
        self._buf = bytearray(nslots * SLOT_BYTES)
        self._mv = memoryview(self._buf)
        self._len = array("H", bytes(2 * nslots))
        self.head = 0  # absolute number of the next frame to be written

    @property
    def ram_bytes(self):
        return len(self._buf) + 2 * self.nslots

    @property
    def oldest(self):
        return self.head - self.nslots if self.head > self.nslots else 0

    @property
    def next_seq(self):
        return self.head & 0xFFFF

    def slot(self):
        """The writable slot of the next frame (commit it with its length)."""
        i = (self.head % self.nslots) * SLOT_BYTES
        return self._mv[i : i + SLOT_BYTES]

    def commit(self, length):
        self._len[self.head % self.nslots] = length
        self.head += 1

    def append(self, data):
        """Copy a ready frame (status/event) into the next slot."""
        n = len(data)
        self.slot()[:n] = data
        self.commit(n)

    def get(self, n):
        """Frame number `n` as a memoryview, or None when it has left the ring or does not exist yet."""
        if n < self.oldest or n >= self.head:
            return None
        k = n % self.nslots
        i = k * SLOT_BYTES
        return self._mv[i : i + self._len[k]]

    def absolute(self, seq):
        """The most recent absolute frame number whose wire seq is `seq` (may be < oldest, or == head)."""
        return self.head - ((self.head - seq) & 0xFFFF)


class Cursor:
    """A reading position in the ring. Frames it missed because they were overwritten are counted."""

    def __init__(self, ring):
        self.ring = ring
        self.pos = ring.head
        self.dropped = 0

    def skip_lost(self):
        """Move past frames that left the ring unsent; returns how many (0 normally)."""
        lost = self.ring.oldest - self.pos
        if lost <= 0:
            return 0
        self.pos = self.ring.oldest
        self.dropped += lost
        return lost

    def peek(self):
        return self.ring.get(self.pos)

    def advance(self):
        self.pos += 1

    @property
    def backlog(self):
        return self.ring.head - self.pos

    def fill_pct(self):
        return min(100, self.backlog * 100 // self.ring.nslots)

    def rewind(self, seq):
        """Resend from `seq`: returns frames no longer buffered (0 when all of them still are)."""
        n = self.ring.absolute(seq)
        oldest = self.ring.oldest
        if n < oldest:
            self.pos = min(self.pos, oldest)
            return oldest - n
        self.pos = min(self.pos, n)  # never forward: that would skip frames not sent yet
        return 0
