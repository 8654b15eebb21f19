"""Cell key perturbation and rounding of published counts (issue 22; docs/insight-protection.md).

The ONS method (Census 2021): every person has a *record key*, a number 0-255 that HR cannot
work out (an HMAC of their id with the secret key, so it is the same every time). A cell's key is
the sum of its people's record keys modulo 256; the cell's noise is read from a fixed table by
that key. The same people always give the same noise, so asking for the same cell again (from
another filter, another table, the CSV) gives the same figure and repeated queries cannot average
the noise away. The noisy count is then rounded to the nearest multiple of `base` (5), as NHS
workforce statistics are. Zeros stay zero; counts from 1 to limit - 1 are still hidden by the
suppression in `engine`, so no published figure is ever 1 to 4.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings

#: noise by cell key: -2..+2, each for 256 / 5 keys or so, in a fixed scrambled order.
NOISE = tuple(((k * 97 + 31) % 256) % 5 - 2 for k in range(256))


def record_key(person_id: int) -> int:
    """0-255, stable for a person, unknown to anyone without the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"insight-record-key:{person_id}".encode(), hashlib.sha256
    ).digest()
    return digest[0]


def perturbation_on() -> bool:
    """Setting `INSIGHT_PERTURBATION` (on by default; off only in hand-counted tests)."""
    return bool(getattr(settings, "INSIGHT_PERTURBATION", True))


def release_salt(digest: bytes) -> int:
    """0-255 from the digest of everything a snapshot counts (`selectors.facts`): the same
    counted state always gives the same salt, any change to it a new, unpredictable one."""
    return hmac.new(settings.SECRET_KEY.encode(), b"insight-release:" + digest, "sha256").digest()[
        0
    ]


def publisher(base: int, noise: bool = True, salt: int = 0) -> Callable[[int, int], int]:
    """`publish(n, cell_key)`: the figure shown for a true count `n` (never below `base` when
    `n` is at least 1, so a published count is never 1 to 4). `salt` (`release_salt`) is added
    to every cell key of one snapshot."""

    def publish(n: int, cell_key: int) -> int:
        if n <= 0:
            return 0
        value = n + (NOISE[(cell_key + salt) % 256] if noise else 0)
        rounded = ((value + base // 2) // base) * base if base > 1 else value
        return max(rounded, base if base > 1 else 1)

    return publish


def identity(n: int, cell_key: int) -> int:
    """No perturbation, no rounding (the engine's exact counts; tests of the suppression)."""
    return n
