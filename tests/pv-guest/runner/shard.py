"""--shard K/N: the K-th of N parts of a run, so that a CI matrix runs the suite as N parallel
jobs (docs/runner.md, "CI: JUnit and shards").

A test's shard is a function of its name and N alone: SHA-256 of the name, taken modulo N. So
every machine and every Python splits alike (Python's own hash() is salted per process), a
test is in the same shard whichever tests are selected beside it, and adding or removing a
test moves no other test between shards, where a round robin over the sorted names would
shift every name after it. The price is balance: the parts are only about equal in size.
"""

import hashlib
import re

from . import RunnerError


def parse(text):
    """(K, N) from "K/N", 1 <= K <= N; a one-line error otherwise."""
    m = re.match(r"^\s*(\d+)\s*/\s*(\d+)\s*$", text or "")
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise RunnerError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/4 for the second of four")
    return int(m.group(1)), int(m.group(2))


def shard_of(name, n):
    """The shard (1 to N) that the test NAME belongs to."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n + 1


def select(entries, k, n):
    """The entries of shard K of N, in their order."""
    return [e for e in entries if shard_of(e.name, n) == k]
