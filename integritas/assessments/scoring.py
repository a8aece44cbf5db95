"""Scoring an assessment framework: pure computation on plain data, no Django.

A framework is a tree of nodes (areas, indicators, sub-components, ...) whose leaves are the
items answered: requirements (MCSP) or questions (LKE). Every node has a weight in points; the
children of a node share its weight exactly, and the top nodes share the framework's total::

    total 100 ─┬─ enablers 60 ─┬─ change management 8 ─┬─ fulfilment 4 ─┬─ question 1
               │               │                       │                └─ question 3
               │               │                       └─ reform 4 ── ...
               └─ results 40 ──┬─ IPAK 17.5 (a 0–4 value: 3.60 → 15.75)
                               └─ ...

A leaf's score is its weight times the share its answer earns under its scoring method
(``METHODS``); a node's score is the sum of its children's. ``weight_problems`` says what is
wrong with the weights; ``score_tree`` adds the scores up; ``eligibility`` compares them with a
threshold set and lists every condition that fails, with its gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

YES_NO = "yes_no"
CHOICE = "choice"
PERCENT = "percent"
SCALE = "scale"
DOCUMENTS = "documents"
METHODS = (YES_NO, CHOICE, PERCENT, SCALE, DOCUMENTS)
SCALE_MAX = Decimal(4)
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_YES = {"yes", "ya", "y", "true", "1"}
_NO = {"no", "tidak", "t", "n", "false", "0"}


class ScoringError(ValueError):
    """An answer or a framework that cannot be scored. ``problem`` names what is wrong (a key of
    ``PROBLEMS``), ``item`` the node and ``value`` the answer, so that the caller can say it in
    the reader's language; ``str()`` says it in English."""

    def __init__(self, problem: str, *, item: str = "", value: Any = "", options: str = "") -> None:
        self.problem = problem
        self.item = item
        self.value = str(value)
        self.options = options
        text = PROBLEMS[problem].format(value=self.value, options=options)
        super().__init__(f"{item}: {text}" if item else text)


# What each ``ScoringError.problem`` means, in English ({value}: the answer; {options}: the choices).
PROBLEMS = {
    "not_a_number": "“{value}” is not a number.",
    "not_yes_no": "“{value}” is not yes or no.",
    "not_a_choice": "“{value}” is not one of the choices {options}.",
    "outside_percent": "{value} is outside 0–100.",
    "outside_scale": "{value} is outside 0–4.",
    "documents_missing": "the number of required documents is missing.",
    "not_documents": "{value} is not a number of documents.",
    "unknown_method": "unknown scoring method “{value}”.",
    "weight_missing": "the weight is missing.",
    "not_an_item": "not an item of this framework.",
    "unknown_node": "the condition names an unknown node “{value}”.",
    "unknown_scope": "unknown condition scope “{value}”.",
    "unknown_measure": "unknown measure “{value}”.",
    "total_in_points": "the total is measured in points.",
}


@dataclass(frozen=True)
class NodeSpec:
    """One node of a framework tree. ``parent`` is the parent's code ("" for a top node);
    ``method`` is empty for a node that has children. ``choices`` maps a tiered choice's code
    to the share (0–1) of the weight it earns."""

    code: str
    weight: Decimal | None
    parent: str = ""
    method: str = ""
    kind: str = ""
    choices: Mapping[str, Decimal] = field(default_factory=dict)
    required_documents: int | None = None


@dataclass(frozen=True)
class WeightProblem:
    """A node whose weight is missing or whose children's weights do not add up to it
    (``code`` "" stands for the framework's total)."""

    code: str
    kind: str  # "missing", "negative" or "sum"
    expected: Decimal | None = None
    actual: Decimal | None = None


def _decimal(value: Any, item: str = "") -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ScoringError("not_a_number", item=item, value=value) from exc
    if not number.is_finite():
        raise ScoringError("not_a_number", item=item, value=value)
    return number


def share(node: NodeSpec, answer: Any) -> Decimal:
    """The share (0–1) of ``node``'s weight that ``answer`` earns under the node's method.

    - yes/no: yes earns all, no nothing;
    - choice: the tiered choice's value (A 1, B 0.75, ...);
    - percent: 0–100 → 0–1;
    - scale: a 0–4 value proportionally (an index of 3.60 earns 0.9);
    - documents: the documents accepted over those required (never more than all).

    Raises ``ScoringError`` for an answer outside the method's range or the node's choices.
    """
    method = node.method
    if method == YES_NO:
        text = str(answer).strip().lower() if not isinstance(answer, bool) else str(answer).lower()
        if text in _YES:
            return ONE
        if text in _NO:
            return ZERO
        raise ScoringError("not_yes_no", item=node.code, value=answer)
    if method == CHOICE:
        code = str(answer).strip().upper()
        values = {k.upper(): v for k, v in node.choices.items()}
        if code not in values:
            options = ", ".join(sorted(values))
            raise ScoringError("not_a_choice", item=node.code, value=answer, options=options)
        return values[code]
    if method == PERCENT:
        number = _decimal(answer, node.code)
        if not ZERO <= number <= HUNDRED:
            raise ScoringError("outside_percent", item=node.code, value=number)
        return number / HUNDRED
    if method == SCALE:
        number = _decimal(answer, node.code)
        if not ZERO <= number <= SCALE_MAX:
            raise ScoringError("outside_scale", item=node.code, value=number)
        return number / SCALE_MAX
    if method == DOCUMENTS:
        required = node.required_documents or 0
        if required < 1:
            raise ScoringError("documents_missing", item=node.code)
        accepted = _decimal(answer, node.code)
        if accepted < 0 or accepted != accepted.to_integral_value():
            raise ScoringError("not_documents", item=node.code, value=answer)
        return min(accepted, Decimal(required)) / Decimal(required)
    raise ScoringError("unknown_method", item=node.code, value=method)


def score_item(node: NodeSpec, answer: Any) -> Decimal:
    """The points ``answer`` earns on the leaf ``node``: its weight times its ``share``."""
    if node.weight is None:
        raise ScoringError("weight_missing", item=node.code)
    return node.weight * share(node, answer)


def children_of(nodes: Iterable[NodeSpec]) -> dict[str, list[NodeSpec]]:
    """{parent code: its children in order}; "" holds the top nodes."""
    tree: dict[str, list[NodeSpec]] = {}
    for node in nodes:
        tree.setdefault(node.parent, []).append(node)
    return tree


def weight_problems(nodes: Sequence[NodeSpec], total: Decimal) -> list[WeightProblem]:
    """Every missing or negative weight, and every node (and the total) whose children's
    weights do not add up to its own, in tree order."""
    problems: list[WeightProblem] = []
    for node in nodes:
        if node.weight is None:
            problems.append(WeightProblem(node.code, "missing"))
        elif node.weight < 0:
            problems.append(WeightProblem(node.code, "negative", actual=node.weight))
    tree = children_of(nodes)
    parents: list[tuple[str, Decimal | None]] = [("", total)]
    parents += [(node.code, node.weight) for node in nodes if node.code in tree]
    for code, expected in parents:
        weights = [child.weight for child in tree.get(code, [])]
        if expected is None or any(w is None for w in weights):
            continue  # reported as missing above
        actual = sum((w for w in weights if w is not None), ZERO)
        if actual != expected:
            problems.append(WeightProblem(code, "sum", expected=expected, actual=actual))
    return problems


@dataclass
class TreeScores:
    """The points of every node (``points``), the framework's total, and the raw answer value of
    each answered percent or scale leaf (``values``, as thresholds on an index read them).

    The same tree gives the MCSP's projected score (answers: the documents ready for upload, as
    if all were accepted) and its verified score (answers: the documents KPK accepted)."""

    points: dict[str, Decimal]
    total: Decimal
    weights: dict[str, Decimal | None]
    kinds: dict[str, str]
    values: dict[str, Decimal]
    total_weight: Decimal = HUNDRED

    def share_of(self, code: str) -> Decimal:
        """The node's points as a share (0–1) of its weight."""
        weight = self.weights.get(code)
        return self.points[code] / weight if weight else ZERO


def score_tree(nodes: Sequence[NodeSpec], answers: Mapping[str, Any]) -> TreeScores:
    """Score every leaf answered in ``answers`` ({leaf code: answer}; an unanswered leaf scores
    0) and add the points up the tree. Raises ``ScoringError`` for the first bad answer or an
    answer to a code that is not a leaf."""
    tree = children_of(nodes)
    by_code = {node.code: node for node in nodes}
    for code in answers:
        if code not in by_code or code in tree:
            raise ScoringError("not_an_item", item=code)
    points: dict[str, Decimal] = {}
    values: dict[str, Decimal] = {}

    def visit(node: NodeSpec) -> Decimal:
        kids = tree.get(node.code, [])
        if kids:
            points[node.code] = sum((visit(kid) for kid in kids), ZERO)
        elif node.code in answers and answers[node.code] not in (None, ""):
            points[node.code] = score_item(node, answers[node.code])
            if node.method in (PERCENT, SCALE):
                values[node.code] = _decimal(answers[node.code])
        else:
            points[node.code] = ZERO
        return points[node.code]

    total = sum((visit(top) for top in tree.get("", [])), ZERO)
    return TreeScores(
        points=points,
        total=total,
        weights={node.code: node.weight for node in nodes},
        kinds={node.code: node.kind for node in nodes},
        values=values,
        total_weight=sum((top.weight or ZERO for top in tree.get("", [])), ZERO),
    )


# --- Colour bands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandSpec:
    """A colour band of a score on 0–100, from ``lower`` up to the next band's lower bound
    (MCSP: red from 0, yellow from 25, blue from 50, green from 75)."""

    lower: Decimal
    colour: str
    label: str = ""


def percent(scores: TreeScores, code: str = "") -> Decimal:
    """A node's score (the total for "") on 0–100: its points over its weight. With equal area
    weights the total's percentage is the mean of the areas' (MCSP)."""
    if code == "":
        return scores.total / scores.total_weight * HUNDRED if scores.total_weight else ZERO
    return scores.share_of(code) * HUNDRED


def band_for(score: Decimal, bands: Sequence[BandSpec]) -> BandSpec | None:
    """The band ``score`` falls in: the one with the highest lower bound at or below it (a score
    exactly at a bound is in the upper band); None below the first band or without bands."""
    found = None
    for band in sorted(bands, key=lambda b: b.lower):
        if score >= band.lower:
            found = band
    return found


# --- Eligibility -------------------------------------------------------------------------------

TOTAL = "total"  # the framework's total points
NODE = "node"  # one node, named by its code
EACH = "each"  # every node of a kind (every area), each on its own
POINTS = "points"
SHARE = "share"  # points over the node's weight, 0–1
VALUE = "value"  # the answer itself (an index on the 1–4 scale)
SCOPES = (TOTAL, NODE, EACH)
MEASURES = (POINTS, SHARE, VALUE)


@dataclass(frozen=True)
class ConditionSpec:
    """At least ``minimum`` of ``measure`` on the total, on one node or on each node of a kind
    (``target`` is the node's code or the kind)."""

    scope: str
    minimum: Decimal
    measure: str = POINTS
    target: str = ""
    label: str = ""


@dataclass(frozen=True)
class Failure:
    """A condition not met: what was measured (``actual``; None when the item was not answered),
    the minimum and the gap to close (``minimum - actual``). ``node`` names the node of an
    ``each`` condition; ``predicate`` a predicate the unit must already hold."""

    label: str
    minimum: Decimal | None
    actual: Decimal | None
    node: str = ""
    predicate: str = ""

    @property
    def gap(self) -> Decimal | None:
        if self.minimum is None:
            return None
        return self.minimum - (self.actual or ZERO)


def _measure(scores: TreeScores, code: str, measure: str) -> Decimal | None:
    if measure == POINTS:
        return scores.points.get(code, ZERO)
    if measure == SHARE:
        return scores.share_of(code)
    if measure == VALUE:
        return scores.values.get(code)
    raise ScoringError("unknown_measure", value=measure)


def eligibility(
    scores: TreeScores,
    conditions: Sequence[ConditionSpec],
    *,
    requires: str = "",
    held: Iterable[str] = (),
) -> list[Failure]:
    """Every failing condition of a threshold set, in the set's order (an empty list means
    eligible). A condition is met at exactly its minimum. ``requires`` names a predicate the
    unit must already hold (WBBM needs WBK), checked against ``held``."""
    failures: list[Failure] = []
    if requires and requires not in set(held):
        failures.append(Failure(requires, None, None, predicate=requires))
    for condition in conditions:
        if condition.scope == TOTAL:
            targets = [""]
        elif condition.scope == NODE:
            if condition.target not in scores.points:
                raise ScoringError("unknown_node", value=condition.target)
            targets = [condition.target]
        elif condition.scope == EACH:
            targets = [code for code, kind in scores.kinds.items() if kind == condition.target]
        else:
            raise ScoringError("unknown_scope", value=condition.scope)
        for code in targets:
            if code == "":
                actual: Decimal | None = scores.total
                if condition.measure != POINTS:
                    raise ScoringError("total_in_points")
            else:
                actual = _measure(scores, code, condition.measure)
            if actual is None or actual < condition.minimum:
                node = code if condition.scope == EACH else ""
                failures.append(Failure(condition.label, condition.minimum, actual, node=node))
    return failures
