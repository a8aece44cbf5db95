"""The scheduled index refresh, run by the database queue's worker (``manage.py db_worker``).

Responses only mark their wave out of date (``services.compute.mark_responses_changed``); no
task is queued per response, so neither a task row nor a log line dates one. Instead
``refresh_stale_indices`` runs on a fixed schedule, every ``INDICES_REFRESH_MINUTES`` counted
from midnight in the government's time zone (e.g. 10:00, 11:00, ...): it brings every stale wave
up to date, deletes our finished task rows older than ``TASK_RESULTS_RETENTION_DAYS`` (their
times and results say when work was done), and queues itself for the next slot. One
``manage.py compute_indices --schedule`` starts the chain (``make run`` does it); it runs as long
as a worker is up, and a second call changes nothing while a run is queued.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from integritas.indices.services import dashboard_cache, dashboards
from integritas.indices.services.compute import refresh_stale_waves
from integritas.surveys.models import Wave

logger = logging.getLogger(__name__)

OUR_TASKS = "integritas."  # the dotted paths of this project's tasks start with it


def keep_wave_page(wave: Wave) -> None:
    """Build and keep ``wave``'s page as a reader who sees every unit first opens it (all
    respondents, the top level, by score), in each language of the site, so the first reader
    after a background computation does not wait for it (``services.dashboard_cache``). Called
    by the scheduled refresh and ``compute_indices`` after they store a run, never inside a
    computation (whose time it would add to); a failure is logged and leaves the computation
    as it is. Nothing is built when dashboards are not kept (``INDICES_DASHBOARD_CACHE_SECONDS``
    0)."""
    if dashboard_cache.seconds() <= 0:
        return

    def build() -> None:
        try:
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    dashboards.whole_government_dashboard(wave)
        except Exception:
            logger.exception("Keeping the page of wave %s failed", wave.code)

    # At once outside a transaction; inside one, once it commits (after the retirement of the
    # kept pages that the computation's commit brings).
    transaction.on_commit(build)


def next_refresh(now: dt.datetime) -> dt.datetime:
    """The first slot of the schedule strictly after ``now``: a whole multiple of
    ``INDICES_REFRESH_MINUTES`` after local midnight, so the time never depends on ``now``'s
    seconds (or on when a response arrived)."""
    every = dt.timedelta(minutes=settings.INDICES_REFRESH_MINUTES)
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    slots = (local - midnight) // every + 1
    return min(midnight + slots * every, midnight + dt.timedelta(days=1))


def schedule_refresh(*, now: dt.datetime | None = None) -> bool:
    """Queue the next scheduled refresh unless one is already waiting; True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_stale_indices.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    refresh_stale_indices.using(run_after=next_refresh(now or timezone.now())).enqueue()
    return True


def purge_finished_tasks(*, now: dt.datetime | None = None) -> int:
    """Delete the finished rows (successful or failed) of our tasks older than the retention;
    returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.TASK_RESULTS_RETENTION_DAYS)
    finished = DBTaskResult.objects.finished().filter(
        task_path__startswith=OUR_TASKS, finished_at__lte=cutoff
    )
    deleted, _ = finished.delete()
    return deleted


@task()
def refresh_stale_indices() -> dict[str, int]:
    """Every stale wave brought up to date, old task rows purged, the next run queued. Its
    result holds counts of waves and rows, never of responses."""
    try:
        refreshed = refresh_stale_waves(then=keep_wave_page)
        purged = purge_finished_tasks()
    finally:
        schedule_refresh()
    return {"refreshed": refreshed, "purged": purged}
