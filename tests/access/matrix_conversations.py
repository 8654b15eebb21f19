"""Permission-matrix rows for the conversations URLs (merged into matrix.py)."""

from __future__ import annotations

MATRIX: dict = {}
KWARGS: dict = {}
OBJECT_BUILDERS: list = []
