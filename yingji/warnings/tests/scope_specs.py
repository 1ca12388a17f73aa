"""Scope-matrix specs of the warnings object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``.
"""

SPECS: dict = {}
EXEMPT: dict[str, str] = {}
