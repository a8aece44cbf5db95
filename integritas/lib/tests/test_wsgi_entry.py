"""The WSGI entry point leaves what start-up made out of the garbage collector's sight."""

from __future__ import annotations

import gc
import importlib
import sys


def test_loading_the_entry_point_freezes_the_start_up_heap() -> None:
    gc.unfreeze()
    try:
        # Loaded here, not at the top: loading the module freezes the process's heap, which at
        # collection would leave the rest of the suite running frozen. Loaded again if another
        # test loaded it first.
        loaded = sys.modules.get("integritas.wsgi")
        wsgi = importlib.reload(loaded) if loaded else importlib.import_module("integritas.wsgi")
        assert gc.get_freeze_count() > 10_000
        assert wsgi.freeze_startup_heap() > 10_000
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
