"""Rows of the role × page matrix for the public report pages under /lapor/ (gathered by core's
matrix test). Everyone, signed in or not, gets the same answer: these pages know no accounts."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row


def everyone(status: int) -> dict[str, int]:
    return row(status, anonymous=status)


def none(w: World) -> dict[str, Any]:
    return {}


MATRIX = {
    "complaints-public-report": (none, everyone(200)),
    "complaints-public-done": (none, everyone(200)),
    "complaints-public-check": (none, everyone(200)),
    # The reply needs a report opened with its receipt: POST only.
    "complaints-public-reply": (none, everyone(405)),
    "complaints-public-close": (none, everyone(405)),
}

# Empty POSTs: the form and the receipt page say what is missing (400); a reply without the pass
# of an opened report is refused (403); closing without a pass shows the receipt form. Nobody is treated differently for being signed in.
POST_MATRIX = {
    "complaints-public-report": (none, everyone(400)),
    "complaints-public-check": (none, everyone(400)),
    "complaints-public-reply": (none, everyone(403)),
    "complaints-public-close": (none, everyone(200)),
}
