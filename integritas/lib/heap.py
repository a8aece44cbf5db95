"""The start-up heap of a long-lived process (a web worker, the task worker), moved out of the
garbage collector's sight.

What start-up made (modules, models, settings, URL patterns and the views behind them) lives as
long as the process. Left in the collector's sight, a full collection walks all of it again
every few dozen requests or tasks: a pause that grows with the heap, measured at about 125 ms
inside a one-unit index update (docs/compute-indices.md, *Dashboards at national scale*).
``gc.freeze`` moves it to a generation the collector never scans; objects that die later are
still freed by their reference counts.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Load the URL patterns (and through them the views), collect what start-up left as
    garbage, then freeze every object still alive; returns how many were frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def freeze_worker_heap(sender: object, **kwargs: object) -> None:
    """On the task worker's first task (django-tasks' ``task_started``), freeze its start-up
    heap once, as ``integritas/wsgi.py`` does for a web worker. Off when
    ``settings.TASK_WORKER_FREEZE_HEAP`` is false (the test suite, which runs tasks in its own
    long process)."""
    from django.conf import settings

    if settings.TASK_WORKER_FREEZE_HEAP and not gc.get_freeze_count():
        freeze_startup_heap()
