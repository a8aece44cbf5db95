"""Receivers that keep what follow-up answers in step with its recommendations.

- A survey weak point follows the recommendation written for it: addressed when the
  recommendation is issued, resolved when it is closed, whichever code changes the status.

Connected by importing this module in ``apps.ready``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from integritas.followup.models import Recommendation
from integritas.followup.services.recommendations import weak_point_follow


@receiver(post_save, sender=Recommendation, dispatch_uid="followup-weak-point-follows")
def weak_point_follows(sender: Any, *, instance: Recommendation, raw: bool, **kwargs: Any) -> None:
    if not raw:
        weak_point_follow(recommendation=instance)
