"""The daily audit anchor, run by the database queue's worker (``manage.py db_worker``).

``publish_anchor_daily`` publishes today's anchor (``services.publish_anchor``) and queues itself
for 00:10 the next day in the government's time zone, so one ``manage.py publish_anchor
--schedule`` starts a chain that runs every day while a worker is up (``make run`` does it).
When today has no anchor yet, the chain's first run is queued at once. Cron
(``manage.py publish_anchor``) and the chain can run together: a day never gets two anchors.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from integritas.audit.models import Anchor
from integritas.audit.services import ChainBroken, publish_anchor

DAILY_AT = dt.time(0, 10)

logger = logging.getLogger(__name__)


def next_daily_run(now: dt.datetime) -> dt.datetime:
    """The next 00:10 in the government's time zone strictly after ``now``."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def _queue(run_after: dt.datetime) -> bool:
    waiting = DBTaskResult.objects.filter(
        task_path=publish_anchor_daily.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    publish_anchor_daily.using(run_after=run_after).enqueue()
    return True


def schedule_daily(*, now: dt.datetime | None = None) -> bool:
    """Queue the daily run unless one is already waiting: at once when today has no anchor yet,
    else at the next 00:10. True when one was queued."""
    now = now or timezone.now()
    anchored = Anchor.objects.filter(date=timezone.localdate(now)).exists()
    return _queue(next_daily_run(now) if anchored else now)


@task()
def publish_anchor_daily() -> dict[str, Any]:
    """Today's anchor, then the next day's run queued (one chain at a time). A broken chain is
    not anchored; the run logs an error and the chain goes on."""
    today = timezone.localdate()
    try:
        anchor, created = publish_anchor(today=today)
        result: dict[str, Any] = {
            "date": today.isoformat(),
            "seq": anchor.seq,
            "published": created,
        }
    except ChainBroken as exc:
        logger.error("audit anchor of %s not published: the chain is broken at %s", today, exc)
        result = {"date": today.isoformat(), "published": False, "problem": str(exc)}
    finally:
        _queue(next_daily_run(timezone.now()))
    return result
