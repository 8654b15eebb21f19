"""Permission-matrix rows for the devplans URLs (merged into matrix.py)."""

from __future__ import annotations

MATRIX: dict = {}
KWARGS: dict = {}
OBJECT_BUILDERS: list = []
