"""Assessment demo data for Karyapura: the shipped LKE framework of the year (with its WBK and
WBBM thresholds) and the example MCSP indicator set, labelled as an example, both active.
Idempotent: a framework already there is not loaded again."""

from __future__ import annotations

from integritas.assessments import imports


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    lines = []
    for name in (imports.SHIPPED_LKE, imports.SHIPPED_MCSP_EXAMPLE):
        framework, loaded = imports.load_shipped(name=name)
        if loaded:
            lines.append(f"Assessment framework: {framework} ({framework.nodes.count()} nodes)")
    return lines
