"""How a large bulk export is cut into parts: every plan once, in order, no part too big."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from devplans.export_build import _part_range


@given(total=st.integers(min_value=1, max_value=5000), size=st.integers(1, 200))
def test_the_parts_cover_every_plan_once_in_order(total, size):
    parts = -(-total // size)  # as plan_export_build splits a job
    ranges = [_part_range(total, parts, part) for part in range(parts)]
    assert ranges[0][0] == 0
    assert ranges[-1][1] == total
    assert all(before[1] == after[0] for before, after in zip(ranges, ranges[1:], strict=False))
    assert all(0 < end - start <= size for start, end in ranges)
