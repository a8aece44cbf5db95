"""The Indonesian catalogue is complete, consistent with its source, and compiled.

Indonesian is the default language of the interface, so an untranslated or fuzzy entry shows
English to real users, a lost placeholder crashes a page, and a stale ``.mo`` hides a fix.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO_FILE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

# The flags the project uses for `make messages`, plus the test helpers module.
MAKEMESSAGES_IGNORES = [
    ".venv/*",
    "var/*",
    "*/tests/*",
    "bench/*",
    "integritas/core/testing.py",
]


# --- A small .po parser -------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        context = f" [context {self.msgctxt!r}]" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    '"': '"',
    "\\": "\\",
}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(quoted: str, line_number: int) -> str:
    if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
        raise ValueError(f"line {line_number}: not a quoted string: {quoted}")

    def replace(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped in _ESCAPES:
            return _ESCAPES[escaped]
        raise ValueError(f"line {line_number}: unknown escape \\{escaped}")

    return re.sub(r"\\(.)", replace, quoted[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Every active entry of a .po file, header included (its msgid is empty).

    Handles multi-line strings, C escapes, msgctxt, plurals and flags; obsolete (#~) entries
    and ordinary comments are skipped.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    has_msgid = False
    pending_flags: set[str] = set()
    target: tuple[str, int] = ("msgctxt", 0)

    def finish() -> None:
        nonlocal current, has_msgid
        if current is not None:
            if not has_msgid:
                raise ValueError(f"{path}:{current.line}: msgctxt without msgid")
            entries.append(current)
        current, has_msgid = None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if has_msgid:
                finish()
            if line.startswith("#~"):
                pending_flags = set()
            elif line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, quoted = match.groups()
            value = _unquote(quoted, number)
            if keyword == "msgctxt" or (keyword == "msgid" and has_msgid):
                finish()
            if current is None:
                if keyword not in ("msgctxt", "msgid"):
                    raise ValueError(f"{path}:{number}: {keyword} before msgid")
                current, pending_flags = Entry(flags=pending_flags, line=number), set()
            if keyword == "msgctxt":
                current.msgctxt = value
            elif keyword == "msgid":
                current.msgid, has_msgid = value, True
            elif keyword == "msgid_plural":
                current.msgid_plural = value
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot] = value
            target = (keyword.split("[")[0], int(index) if index is not None else 0)
            continue
        if line.startswith('"') and current is not None:
            value = _unquote(line, number)
            kind, slot = target
            if kind == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif kind == "msgid":
                current.msgid += value
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            else:
                current.msgstr[slot] += value
            continue
        raise ValueError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    """The entries without the header."""
    return [entry for entry in entries if entry.msgid or entry.msgctxt is not None]


def header(entries: list[Entry]) -> dict[str, str]:
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            lines = entry.msgstr.get(0, "").splitlines()
            return dict(line.split(": ", 1) for line in lines if ": " in line)
    return {}


# Python %-format placeholders: %(name)s, %(count)d, %s, %5.2f ... (but not a literal %%).
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(PO_FILE)


# --- Tests ----------------------------------------------------------------------------------------


def test_the_parser_reads_multiline_strings_escapes_contexts_and_plurals(tmp_path: Path) -> None:
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Two "\n"lines \\"quoted\\"\\n"\n'
        'msgstr "Dua baris \\"dikutip\\"\\n"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "Mei"\n\n'
        'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s data"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Hilang"\n',
        encoding="utf-8",
    )
    entries = parse_po(sample)
    assert header(entries) == {"Language": "id", "Plural-Forms": "nplurals=1; plural=0;"}
    found = {entry.key: entry for entry in messages(entries)}
    assert found[(None, 'Two lines "quoted"\n', None)].msgstr == {0: 'Dua baris "dikutip"\n'}
    assert found[(None, 'Two lines "quoted"\n', None)].flags == {"python-format"}
    assert found[("month", "May", None)].msgstr == {0: "Mei"}
    assert found[(None, "%(n)s item", "%(n)s items")].msgstr == {0: "%(n)s data"}
    assert len(found) == 3


def test_the_indonesian_header_declares_the_language_and_a_single_plural_form(
    catalogue: list[Entry],
) -> None:
    meta = header(catalogue)
    assert meta.get("Language") == "id"
    assert meta.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in meta.get("Content-Type", "")
    assert meta.get("Project-Id-Version", "").startswith("Integritas")


def test_every_indonesian_entry_is_translated_and_none_is_fuzzy(catalogue: list[Entry]) -> None:
    entries = messages(catalogue)
    assert len(entries) > 100, "the Indonesian catalogue looks truncated"
    fuzzy = [entry.label() for entry in catalogue if "fuzzy" in entry.flags]
    untranslated = [
        entry.label()
        for entry in entries
        if not entry.msgstr.get(0, "").strip()
        or (entry.msgid_plural is not None and sorted(entry.msgstr) != [0])
    ]
    assert not fuzzy, "fuzzy entries (translate them and remove the flag):\n" + "\n".join(fuzzy)
    assert not untranslated, (
        "untranslated entries (plural entries need exactly msgstr[0]):\n" + "\n".join(untranslated)
    )


def test_placeholders_in_each_translation_are_the_same_as_in_the_source(
    catalogue: list[Entry],
) -> None:
    problems = []
    for entry in messages(catalogue):
        expected = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural or ""))
        for slot, text in entry.msgstr.items():
            if text and set(placeholders(text)) != expected:
                problems.append(
                    f"{entry.label()} msgstr[{slot}]: expected {sorted(expected)}, "
                    f"got {sorted(set(placeholders(text)))}"
                )
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_the_compiled_catalogue_matches_the_po_file(catalogue: list[Entry]) -> None:
    assert MO_FILE.exists(), "run: manage.py compilemessages --ignore .venv"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    problems = []
    for entry in messages(catalogue):
        wanted = entry.msgstr.get(0, "")
        if not wanted:
            continue
        if entry.msgid_plural is not None:
            for n in (1, 2, 5):
                got = (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt is not None
                    else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                )
                if got != wanted:
                    problems.append(f"{entry.label()} (n={n}): .mo has {got!r}")
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else compiled.gettext(entry.msgid)
            )
            if got != wanted:
                problems.append(f"{entry.label()}: .mo has {got!r}")
    # The .mo must not keep messages the .po no longer has either.
    compiled_ids = {
        key[0] if isinstance(key, tuple) else key
        for key in compiled._catalog  # type: ignore[attr-defined]
    }
    po_ids = {
        entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        for entry in messages(catalogue)
        if entry.msgstr.get(0)
    }
    extra = sorted(compiled_ids - po_ids - {""})
    if extra:
        problems.append(f"the .mo has messages the .po does not: {extra}")
    assert not problems, (
        "the .mo is out of date; run: manage.py compilemessages --ignore .venv\n"
        + "\n".join(problems)
    )


def _copy_ignore(directory: str, names: list[str]) -> set[str]:
    top = Path(directory).resolve() == ROOT.resolve()
    return {
        name
        for name in names
        if name.startswith(".")
        or name == "__pycache__"
        or name.endswith((".egg-info", ".mo", ".pyc"))
        or (top and name in {"var", "bench", "test-results", "node_modules"})
    }


def test_the_catalogue_has_exactly_the_messages_that_makemessages_extracts(
    catalogue: list[Entry], tmp_path: Path
) -> None:
    missing_tools = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing_tools:
        pytest.skip(f"GNU gettext tools are not installed: {', '.join(missing_tools)}")
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=_copy_ignore)
    before = PO_FILE.read_bytes()
    command = [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete"]
    for pattern in MAKEMESSAGES_IGNORES:
        command += ["--ignore", pattern]
    # The copy's own package must win over the installed one, so the copy's locale is written.
    env = {**os.environ, "PYTHONPATH": str(project)}
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert PO_FILE.read_bytes() == before, "makemessages wrote into the real project"
    assert result.returncode == 0, result.stderr
    extracted = {entry.key for entry in messages(parse_po(project / PO_FILE.relative_to(ROOT)))}
    current = {entry.key for entry in messages(catalogue)}
    missing = sorted(extracted - current, key=str)
    stale = sorted(current - extracted, key=str)
    hint = (
        "\nrun: manage.py makemessages -l id --no-obsolete "
        + " ".join(f"--ignore '{pattern}'" for pattern in MAKEMESSAGES_IGNORES)
        + ", translate, then compilemessages"
    )
    assert not missing, (
        "messages missing from the catalogue:\n" + "\n".join(map(str, missing)) + hint
    )
    assert not stale, "messages no longer in the source:\n" + "\n".join(map(str, stale)) + hint
