"""Portal rules for the one permission policy (``core/policy.py``), registered at start-up.

- Publishing and unpublishing: the Inspectorate (``publish``); the publication records are read by
  everyone who reads all (the Inspectorate, leadership, administrators).
- The menu entry "Public portal" opens the portal as the public sees it, for every signed-in user.
- On the pages of a wave, a recommendation and an evidence item, the Inspectorate gets the
  *Publish* / *Unpublish* control and, once published, the public page (links of kind
  ``publish``, see ``core.extensions.register_object_links``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import INSPECTORATE_ROLES, READ_ALL_ROLES
from integritas.followup.models import Evidence, Recommendation
from integritas.portal.models import Publication
from integritas.portal.services import publishing

LINK_KIND = "publish"


def _publications(user: Any, g: policy.Grants, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if g.has_global(*READ_ALL_ROLES) else qs.none()


def register() -> None:
    extensions.register_policy(
        Publication, scope=_publications, capabilities={"publish": INSPECTORATE_ROLES}
    )


def navigation(user: Any) -> dict[str, str] | None:
    """The "Public portal" menu entry: what an anonymous visitor sees, for every signed-in user."""
    if not user.is_authenticated:
        return None
    return {"url": reverse("portal-home"), "label": _("Public portal"), "name": "portal-"}


def reference(obj: models.Model) -> str:
    """How the publication page names ``obj`` in its address."""
    if isinstance(obj, Evidence):
        return str(obj.public_id)
    return str(obj.code)  # type: ignore[attr-defined]


def public_url(obj: models.Model) -> str | None:
    """The portal page where the public sees ``obj`` once published (None: no page yet)."""
    if isinstance(obj, Recommendation):
        return reverse("portal-recommendation", args=[obj.code])
    if isinstance(obj, Evidence):
        return reverse("portal-evidence", args=[obj.public_id])
    return None


def publish_links(user: Any, obj: models.Model) -> list[dict[str, str]]:
    """*Publish* or *Unpublish (reason)*, and the page seen by the public, for the Inspectorate."""
    if not publishing.may_publish(user):
        return []
    kind = publishing.kind_of(obj)
    url = reverse("portal-publication", args=[kind, reference(obj)])
    if publishing.live_publication(obj) is None:
        if publishing.why_not_publishable(obj) is not None:
            return []
        return [{"url": url, "label": _("Publish on the portal"), "kind": LINK_KIND}]
    links = [{"url": url, "label": _("Unpublish (with a reason)"), "kind": LINK_KIND}]
    seen = public_url(obj)
    if seen:
        links.append({"url": seen, "label": _("Seen by the public"), "kind": LINK_KIND})
    return links
