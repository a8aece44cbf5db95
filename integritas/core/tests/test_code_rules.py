"""Rules of docs/architecture.md that hold for every module, checked over the source tree: the
module size limit, and translations resolved when a page is rendered rather than when a module is
imported (a label translated at import time keeps the language of whichever request imported the
module first)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
MAX_LINES = 800
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def sources(*, with_tests: bool) -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts or (not with_tests and "tests" in parts):
            continue
        yield path


def eager_names(tree: ast.Module) -> set[str]:
    """The local names bound to Django's immediate (not lazy) translation functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return names


def calls_outside_functions(node: ast.AST, names: set[str]) -> Iterator[int]:
    """Line numbers of calls to ``names`` that run at import time (module or class body,
    default argument values and decorators included)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            for outer in (*child.decorator_list, *child.args.defaults, *child.args.kw_defaults):
                if outer is not None:
                    yield from calls_outside_functions(ast.Expression(body=outer), names)
            continue
        if isinstance(child, ast.Lambda):
            continue
        if _is_call(child, names):
            yield child.lineno
        yield from calls_outside_functions(child, names)


def _is_call(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


def import_time_translations(source: str) -> list[int]:
    tree = ast.parse(source)
    names = eager_names(tree)
    return sorted(set(calls_outside_functions(tree, names))) if names else []


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in sources(with_tests=True)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (limit {MAX_LINES} lines): {long}"


def test_no_module_translates_a_label_when_it_is_imported() -> None:
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in sources(with_tests=False)
        if (lines := import_time_translations(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"use gettext_lazy for these module- or class-level labels: {found}"


def test_the_check_finds_import_time_calls_and_leaves_calls_in_functions_alone() -> None:
    source = (
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "LABELS = {'a': _('A')}\n"
        "LAZY = gettext_lazy('B')\n"
        "class Form:\n"
        "    title = _('C')\n"
        "    def clean(self, message=_('D')):\n"
        "        return _('E')\n"
        "KEY = lambda: _('F')\n"
    )
    assert import_time_translations(source) == [2, 5, 6]


def date_inputs_without_iso_format(source: str) -> list[int]:
    """Lines of ``DateInput(attrs={"type": "date"})`` widgets without ``format="%Y-%m-%d"``: a
    browser's date field reads only ISO dates, so a date the form fills in (an initial value, a
    saved record) would otherwise be written in the page's language and show as empty."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "DateInput"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        attrs = keywords.get("attrs")
        is_date = isinstance(attrs, ast.Dict) and any(
            isinstance(k, ast.Constant)
            and k.value == "type"
            and isinstance(v, ast.Constant)
            and v.value == "date"
            for k, v in zip(attrs.keys, attrs.values, strict=True)
        )
        iso = isinstance(keywords.get("format"), ast.Constant) and (
            keywords["format"].value == "%Y-%m-%d"  # type: ignore[union-attr]
        )
        if is_date and not iso:
            lines.append(node.lineno)
    return lines


def test_every_date_field_writes_its_value_as_an_iso_date() -> None:
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in sources(with_tests=False)
        if (lines := date_inputs_without_iso_format(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f'give these date fields format="%Y-%m-%d": {found}'
