"""How far the MCSP document desk is: progress per area, unit and responsible official, what is
missing and who owns it, and the projected and verified scores.

A requirement scored "proportional to documents accepted" counts its documents: the projected
score counts those ready, uploaded or accepted (as if KPK accepted everything ready), the
verified score only those KPK accepted. A yes/no requirement earns "yes" with one such document.
Other methods are not answered by documents and score nothing here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from integritas.assessments import scoring
from integritas.assessments.models import (
    PROJECTED_STATUSES,
    Assessment,
    Assignment,
    Document,
    DocumentStatus,
    Node,
)
from integritas.assessments.services import desk, scores


@dataclass
class Line:
    """One requirement at one unit: what is needed, what exists, and its documents' states."""

    node: Node
    area: Node | None
    unit_id: int
    unit_code: str
    unit_name: str
    required: int
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def ready(self) -> int:
        return sum(self.counts[s] for s in PROJECTED_STATUSES)

    @property
    def accepted(self) -> int:
        return self.counts[DocumentStatus.ACCEPTED]

    @property
    def missing(self) -> int:
        """Documents still to be made ready (none when enough are ready)."""
        return max(self.required - self.ready, 0)

    @property
    def official(self) -> str:
        return self.node.responsible


def _area_of(node: Node, by_pk: Mapping[int, Node]) -> Node | None:
    current: Node | None = node
    while current is not None and current.parent_id is not None:
        current = by_pk.get(current.parent_id)
    return current


def area_of(node: Node, by_pk: Mapping[int, Node]) -> Node | None:
    """The top node (the area) above ``node``, from the framework's nodes ``by_pk``."""
    return _area_of(node, by_pk)


def lines(assessment: Assessment) -> list[Line]:
    """Every (requirement, unit) assignment with its documents counted by state."""
    nodes = list(assessment.framework.nodes.all())
    by_pk = {n.pk: n for n in nodes}
    counts: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for node_id, unit_id, status in Document.objects.filter(assessment=assessment).values_list(
        "node_id", "unit_id", "status"
    ):
        counts[(node_id, unit_id)][status] += 1
    result = []
    for a in Assignment.objects.filter(assessment=assessment).select_related("unit"):
        node = by_pk[a.node_id]
        result.append(
            Line(
                node=node,
                area=_area_of(node, by_pk),
                unit_id=a.unit_id,
                unit_code=a.unit.code,
                unit_name=a.unit.name,
                required=node.required_documents or 1,
                counts=counts[(a.node_id, a.unit_id)],
            )
        )
    result.sort(key=lambda line: (line.node.order, line.node.pk, line.unit_code))
    return result


@dataclass
class Progress:
    """Documents needed, ready and accepted for one area, unit or official."""

    key: str
    label: str
    required: int = 0
    ready: int = 0
    accepted: int = 0

    @property
    def percent_ready(self) -> Decimal:
        if not self.required:
            return Decimal(0)
        return Decimal(min(self.ready, self.required) * 100) / Decimal(self.required)


def progress(all_lines: list[Line], by: str) -> list[Progress]:
    """Progress grouped ``by`` "area", "unit" or "official"."""
    groups: dict[str, Progress] = {}
    for line in all_lines:
        if by == "area":
            key = line.area.code if line.area else ""
            label = line.area.name if line.area else ""
        elif by == "unit":
            key, label = line.unit_code, line.unit_name
        else:
            key = label = line.official or "—"
        group = groups.setdefault(key, Progress(key, label))
        group.required += line.required
        group.ready += min(line.ready, line.required)
        group.accepted += min(line.accepted, line.required)
    return list(groups.values())


def answers(assessment: Assessment, statuses: tuple[str, ...]) -> dict[str, Any]:
    """{item code: answer} from the documents in ``statuses``, for ``scoring``."""
    counted = Counter(
        Document.objects.filter(assessment=assessment, status__in=statuses).values_list(
            "node__code", flat=True
        )
    )
    result: dict[str, Any] = {}
    for node in desk.requirements(assessment.framework):
        n = counted.get(node.code, 0)
        if node.method == scoring.DOCUMENTS and node.required_documents:
            result[node.code] = n
        elif node.method == scoring.YES_NO:
            result[node.code] = "yes" if n else "no"
    return result


def score_board(assessment: Assessment) -> dict[str, Any]:
    """The projected and verified scores, total and per area (each on 0–100 with its band)."""
    framework = assessment.framework
    projected = scores.score(
        framework=framework, answers=answers(assessment, tuple(PROJECTED_STATUSES))
    )
    verified = scores.score(
        framework=framework, answers=answers(assessment, (DocumentStatus.ACCEPTED,))
    )
    p = scores.summary(framework=framework, scores=projected)
    v = scores.summary(framework=framework, scores=verified)
    areas = [n for n in framework.nodes.all() if n.parent_id is None]
    return {
        "projected": p["total"],
        "verified": v["total"],
        "areas": [
            {"node": area, "projected": p["nodes"][area.code], "verified": v["nodes"][area.code]}
            for area in areas
        ],
    }
