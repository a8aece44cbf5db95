"""The instrument builder's rows of the role × page matrix (gathered by core's test_url_matrix).

Every role may read instruments; only the inspector general and inspectors build them; a signed-in
account without a role sees none (404). The rows act on a draft version with content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from integritas.core.testing import POST_ONLY, World, row
from integritas.surveys.models import InstrumentVersion
from integritas.surveys.testing import build_version

Kwargs = Callable[[World], dict[str, Any]]

READ = row(200, nobody=404)
BUILD = row(403, inspector_general=200, inspector=200, nobody=404)
# An empty POST: builders get a validation answer, everyone else is refused before it.
BUILD_POST = row(403, anonymous=302, inspector_general=400, inspector=400, nobody=404)


def draft(w: World) -> InstrumentVersion:
    version = InstrumentVersion.objects.filter(
        instrument__code="skm-test", status=InstrumentVersion.Status.DRAFT
    ).first()
    return version or build_version(publish=False)


def version_kwargs(w: World) -> dict[str, Any]:
    version = draft(w)
    return {"code": version.instrument.code, "number": version.number}


def item(code: str) -> Kwargs:
    return lambda w: {**version_kwargs(w), "item": code}


NONE: Kwargs = lambda w: {}  # noqa: E731
INSTRUMENT: Kwargs = lambda w: {"code": draft(w).instrument.code}  # noqa: E731
SECTION: Kwargs = lambda w: {**version_kwargs(w), "section": "layanan"}  # noqa: E731

POST_ROWS: dict[str, Kwargs] = {
    "surveys-instrument-version-new": version_kwargs,
    "surveys-instrument-version-publish": version_kwargs,
    "surveys-instrument-version-retire": version_kwargs,
    "surveys-instrument-version-delete": version_kwargs,
    "surveys-instrument-dimension-delete": item("U1"),
    "surveys-instrument-dimension-move": item("U1"),
    "surveys-instrument-section-delete": item("profil"),
    "surveys-instrument-section-move": item("profil"),
    "surveys-instrument-question-delete": item("U1"),
    "surveys-instrument-question-move": item("U1"),
}

MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "surveys-instrument-list": (NONE, row(200)),
    "surveys-instrument-create": (NONE, row(403, inspector_general=200, inspector=200)),
    "surveys-instrument-import": (NONE, row(403, inspector_general=200, inspector=200)),
    "surveys-instrument": (INSTRUMENT, READ),
    "surveys-instrument-edit": (INSTRUMENT, BUILD),
    "surveys-instrument-version": (version_kwargs, READ),
    "surveys-instrument-version-xlsx": (version_kwargs, READ),
    "surveys-instrument-dimension-add": (version_kwargs, BUILD),
    "surveys-instrument-dimension-edit": (item("U1"), BUILD),
    "surveys-instrument-section-add": (version_kwargs, BUILD),
    "surveys-instrument-section-edit": (item("profil"), BUILD),
    "surveys-instrument-question-add": (SECTION, BUILD),
    "surveys-instrument-question-edit": (item("U1"), BUILD),
    **{name: (kwargs, POST_ONLY) for name, kwargs in POST_ROWS.items()},
}

POST_MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    name: (kwargs, BUILD_POST) for name, kwargs in POST_ROWS.items()
}
