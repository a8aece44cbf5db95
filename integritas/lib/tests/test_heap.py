"""The task worker freezes its start-up heap once, at its first task (``integritas.lib.heap``),
as the web entry point does at start-up; the test suite's own process keeps its heap as is."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django_tasks.signals import task_started
from django_tasks_db import DatabaseBackend

from integritas.lib import heap

# What django-tasks' own receiver of the signal reads (it logs the task).
RESULT = SimpleNamespace(id="1", task=SimpleNamespace(module_path="x.y"), status="RUNNING")


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """A heap nothing froze yet (importing ``integritas.wsgi``, as another test does, freezes
    the suite's process), and none left frozen afterwards."""
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()


def test_the_worker_s_first_task_freezes_its_start_up_heap_once(
    unfrozen: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASK_WORKER_FREEZE_HEAP = True
    freezes: list[int] = []
    freeze = heap.freeze_startup_heap
    monkeypatch.setattr(heap, "freeze_startup_heap", lambda: freezes.append(freeze()) or 0)

    task_started.send(sender=DatabaseBackend, task_result=RESULT)  # as db_worker sends it
    frozen = gc.get_freeze_count()
    task_started.send(sender=DatabaseBackend, task_result=RESULT)

    assert len(freezes) == 1 and frozen > 10_000
    assert gc.get_freeze_count() == frozen


def test_the_suite_s_process_is_not_frozen(unfrozen: None) -> None:
    task_started.send(sender=DatabaseBackend, task_result=RESULT)

    assert not gc.get_freeze_count()
