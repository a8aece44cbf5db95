"""The WSGI entry point leaves what start-up made out of the garbage collector's sight."""

from __future__ import annotations

import gc

import integritas.wsgi


def test_loading_the_entry_point_freezes_the_start_up_heap() -> None:
    try:
        assert integritas.wsgi.freeze_startup_heap() > 10_000
        assert gc.get_freeze_count() > 10_000
        assert callable(integritas.wsgi.application)
    finally:
        gc.unfreeze()
