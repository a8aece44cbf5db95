"""DuckDB as a reference for the index engine: same wave, same statistic, another engine.

`make bench` (bench/run.py) calls ``run(wave=..., end_to_end=...)`` after timing
``compute_wave`` on the bench wave. It prints measurements and checks one thing: that DuckDB
and our engine give the same numbers (it fails when they differ by 1e-9 or more).

What DuckDB gets. The wave as our engine gets it from ``loader.load_wave`` (the same
responses, units and instrument), written to Parquet by DuckDB itself: one row per response
with the unit code, the respondent type and the 30 coded answers as stored (0 = no answer,
k = k-th choice), plus a small closure table of the unit tree (unit, ancestor) that includes
the unit itself and ``ALL``. DuckDB gets the raw answers, not the per-respondent dimension
means, because turning answers into scores and respondent means is half of the engine's work;
handing DuckDB the means would compare our engine with half a query. The choice scores come
from the instrument, as a constant list per question in the generated SQL. The query is
written for speed as an analyst would (scores as DOUBLE, sums per unit and type first, then
rolled up the tree), so the comparison is with a good query, not a naive one.

What is compared. For every node (unit, its ancestors and ``ALL``) × respondent type (each
type and ``all``) × dimension: n (respondents with an answer in the dimension), the score
(mean of respondent means on the method's scale) and its standard error. n must be equal
everywhere; score and se must agree within 1e-9 wherever the engine shows them (it hides
cells with n < k). The composites (groups, ``ALL``) are weighted sums of these cells and
are not recomputed here.

Times. Engine only: ``engine.compute`` on the loaded wave, from the int16 matrix to the
result records. DuckDB: the query from the Parquet files to the result rows in Python, with
DuckDB's default threads (every core) and with one thread (our engine uses one). Both are
the best of three runs. numpy arrays are handed to DuckDB directly (a dict of arrays), so
neither pandas nor pyarrow is needed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPEAT = 3
TOLERANCE = 1e-9


def line(name: str, value: str) -> None:
    print(f"  {name:<44} {value}")


def _best(function: Any) -> tuple[float, Any]:
    """Fastest of REPEAT runs, and the last run's value."""
    best, value = float("inf"), None
    for _ in range(REPEAT):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def _closure(tree: Any) -> tuple[list[str], list[str]]:
    """(unit, ancestor) pairs: every node with itself, each of its ancestors and ALL."""
    from integritas.indices.engine import ALL

    units: list[str] = []
    ancestors: list[str] = []
    for node, code in enumerate(tree.nodes):
        current = node
        while current != -1:
            units.append(code)
            ancestors.append(tree.nodes[current])
            current = tree.parent[current]
        units.append(code)
        ancestors.append(ALL)
    return units, ancestors


def _export(directory: Path, matrix: Any, tree: Any) -> tuple[Path, Path]:
    """The wave's responses and the unit closure table as Parquet files, written by DuckDB."""
    import duckdb

    responses_path, tree_path = directory / "responses.parquet", directory / "units.parquet"
    columns: dict[str, np.ndarray] = {
        "unit": np.array(tree.nodes, dtype=object)[matrix.unit],
        "respondent_type": np.array(matrix.type_names, dtype=object)[matrix.respondent_type],
    }
    for slot in range(matrix.n_slots):
        columns[f"a{slot}"] = np.ascontiguousarray(matrix.answers[:, slot])
    units, ancestors = _closure(tree)
    closure = {"unit": np.array(units, dtype=object), "ancestor": np.array(ancestors, dtype=object)}
    con = duckdb.connect()
    try:
        con.register("responses_np", columns)
        con.register("closure_np", closure)
        con.execute(f"COPY responses_np TO '{responses_path}' (FORMAT PARQUET)")
        con.execute(f"COPY closure_np TO '{tree_path}' (FORMAT PARQUET)")
    finally:
        con.close()
    return responses_path, tree_path


def _score_sql(slot: int, table: np.ndarray) -> str:
    """SQL for the score of one answer slot as a DOUBLE, NULL when unanswered, out of range or
    an unscored choice: a lookup in a constant list (1-based, like the answer codes), which
    DuckDB runs faster than a CASE per choice."""
    values = [
        "NULL" if np.isnan(table[slot, code]) else repr(float(table[slot, code]))
        for code in range(1, table.shape[1])
    ]
    if all(value == "NULL" for value in values):
        return "CAST(NULL AS DOUBLE)"
    return f"CASE WHEN a{slot} >= 1 THEN (CAST([{', '.join(values)}] AS DOUBLE[]))[a{slot}] END"


def reference_sql(instrument: Any, table: np.ndarray, responses: Path, units: Path) -> str:
    """The DuckDB query, written the way an analyst would for speed: score every answer once,
    take each respondent's mean per dimension, reduce to count, sum and sum of squares per
    unit and type, then roll those up the unit tree (closure table) and over the types."""
    dims = instrument.dimensions
    slots = [int(slot) for dim in dims for slot in instrument.slots_of(dim)]
    scores = ", ".join(f"{_score_sql(slot, table)} AS v{slot}" for slot in slots)
    means, leaf, rolled = [], [], []
    for d, dim in enumerate(dims):
        own = [f"v{int(slot)}" for slot in instrument.slots_of(dim)]
        total = " + ".join(f"coalesce({v}, 0)" for v in own)
        count = " + ".join(f"({v} IS NOT NULL)::INTEGER" for v in own)
        means.append(f"({total}) / nullif({count}, 0) AS m{d}")
        leaf.append(f"count(m{d}) AS c{d}, sum(m{d}) AS s{d}, sum(m{d} * m{d}) AS q{d}")
        n, s, q = f"sum(c{d})", f"sum(s{d})", f"sum(q{d})"
        rolled.append(
            f"{n} AS n{d}, {s} / nullif({n}, 0) AS mean{d}, "
            f"sqrt(greatest({q} - {s} * {s} / nullif({n}, 0), 0) / nullif({n} - 1, 0) / {n})"
            f" AS se{d}"
        )
    return f"""
        WITH scored AS (
            SELECT unit, respondent_type, {scores} FROM read_parquet('{responses}')
        ), respondent AS (
            SELECT unit, respondent_type, {", ".join(means)} FROM scored
        ), leaf AS (
            SELECT unit, respondent_type, {", ".join(leaf)}
            FROM respondent GROUP BY unit, respondent_type
        )
        SELECT c.ancestor AS node,
               CASE WHEN grouping(l.respondent_type) = 1 THEN 'all' ELSE l.respondent_type END
                   AS respondent_type,
               {", ".join(rolled)}
        FROM leaf l JOIN read_parquet('{units}') c USING (unit)
        GROUP BY GROUPING SETS ((c.ancestor, l.respondent_type), (c.ancestor))
    """  # noqa: S608 - a bench query built from the instrument and temporary paths


def _query(sql: str, threads: int | None) -> list[tuple[Any, ...]]:
    import duckdb

    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {threads}")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def compare(
    rows: list[tuple[Any, ...]], results: list[Any], dimensions: tuple[str, ...]
) -> tuple[int, int, float, float, list[str]]:
    """Cells compared, cells with a score, max |Δscore|, max |Δse| and the problems found."""
    ours = {(r.node, r.dimension, r.respondent_type): r for r in results}
    problems: list[str] = []
    compared = scored = 0
    worst_score = worst_se = 0.0
    seen = set()
    for row in rows:
        node, kind = row[0], row[1]
        for d, dim in enumerate(dimensions):
            n, mean, se = row[2 + 3 * d : 5 + 3 * d]
            key = (node, dim, kind)
            seen.add(key)
            mine = ours.get(key)
            if mine is None:
                if n:
                    problems.append(f"{key}: DuckDB has n={n}, the engine has no cell")
                continue
            compared += 1
            if mine.n != n:
                problems.append(f"{key}: n {mine.n} (engine) != {n} (DuckDB)")
            if mine.score is None:
                continue
            scored += 1
            worst_score = max(worst_score, abs(mine.score - mean))
            if mine.se is not None:
                worst_se = max(worst_se, abs(mine.se - se))
            elif n >= 2:
                problems.append(f"{key}: the engine has no se with n={n}")
    for key, mine in ours.items():
        if key[1] in dimensions and mine.n and key not in seen:
            problems.append(f"{key}: the engine has n={mine.n}, DuckDB has no row")
    return compared, scored, worst_score, worst_se, problems


# Targets: end to end (database → engine → results stored) ÷ DuckDB from Parquet on every core,
# per database; the engine alone ÷ DuckDB on one thread.
END_TO_END_TARGET = {"sqlite": 3.0, "postgresql": 4.0}
ENGINE_TARGET = 1.5


def _ratio(name: str, value: float, target: float | None) -> None:
    if target is None:
        line(name, f"{value:.2f}")
    else:
        verdict = "met" if value <= target else "NOT met"
        line(name, f"{value:.2f} (target ≤ {target:g}: {verdict})")


def run(
    *, wave: Any, end_to_end: float | None = None, figures: dict[str, Any] | None = None
) -> None:
    """Time the engine and DuckDB on ``wave``, check they agree, print the figures.

    ``figures`` (bench/indices_compute.py's ``FIGURES``) adds the ratio of each phase of the
    recompute and of the full recompute after a settings change to DuckDB's time."""
    print(f"DuckDB reference: wave {wave.code}")
    try:
        import duckdb
    except ImportError:
        line(
            "skipped",
            "duckdb is not installed (pip install -c requirements.lock -e '.[bench]')",
        )
        return
    from integritas.indices.engine import compute
    from integritas.indices.services.loader import config_for, load_wave, method_for

    method, config = method_for(wave), config_for(wave)
    matrix, instrument, tree = load_wave(wave)
    if not matrix.n_responses:
        line("skipped", "the wave has no responses")
        return
    engine_s, results = _best(
        lambda: compute(method, matrix=matrix, instrument=instrument, tree=tree, config=config)
    )
    # The method's scale: integrity rescales items to 0-100, satisfaction reports NRR × 25.
    table = instrument.score_table(rescale=method == "integrity")
    if method == "satisfaction":
        table = table * 25.0
    with tempfile.TemporaryDirectory(prefix="integritas-bench-duckdb-") as tmp:
        start = time.perf_counter()
        responses, units = _export(Path(tmp), matrix, tree)
        export_s = time.perf_counter() - start
        size = responses.stat().st_size / 1024 / 1024
        sql = reference_sql(instrument, table, responses, units)
        duck_s, rows = _best(lambda: _query(sql, None))
        single_s, _ = _best(lambda: _query(sql, 1))
    compared, scored, worst_score, worst_se, problems = compare(
        rows, results, instrument.dimensions
    )
    line("duckdb version", duckdb.__version__)
    line(
        "export to Parquet (not timed below)",
        f"{export_s:.2f} s, {matrix.n_responses:,} rows × {matrix.n_slots} answers, {size:,.0f} MB",
    )
    if end_to_end is not None:
        line("ours, compute_wave end to end (recompute)", f"{end_to_end:.2f} s")
    line("ours, engine only (best of 3)", f"{engine_s:.2f} s ({method}, {len(results):,} results)")
    line("DuckDB from Parquet, all cores (best of 3)", f"{duck_s:.2f} s ({len(rows):,} rows)")
    line("DuckDB from Parquet, 1 thread (best of 3)", f"{single_s:.2f} s")
    figures = figures or {}
    target = END_TO_END_TARGET.get(str(figures.get("vendor", "")))
    _ratio("ratio engine only / DuckDB (all cores)", engine_s / duck_s, None)
    _ratio("ratio engine only / DuckDB (1 thread)", engine_s / single_s, ENGINE_TARGET)
    if end_to_end is not None:
        _ratio("ratio end to end / DuckDB (all cores)", end_to_end / duck_s, target)
    for phase, seconds in figures.get("phases", {}).items():
        _ratio(f"  of which {phase} / DuckDB (all cores)", seconds / duck_s, None)
    if "settings" in figures:
        _ratio("ratio after settings change / DuckDB", figures["settings"] / duck_s, target)
    if "incremental" in figures:
        incremental = figures["incremental"]
        verdict = "met" if incremental < 0.2 else "NOT met"
        line("update_wave, one unit changed", f"{incremental:.2f} s (target < 0.2 s: {verdict})")
    line(
        "cells compared (n; score and se if shown)",
        f"{compared:,} ({scored:,} with a score)",
    )
    line("max |score difference|, max |se difference|", f"{worst_score:.3g}, {worst_se:.3g}")
    same = not problems and worst_score < TOLERANCE and worst_se < TOLERANCE
    line("same numbers (n equal, differences < 1e-9)", "yes" if same else "NO")
    for problem in problems[:10]:
        line("difference", problem)
    assert same, "DuckDB and the engine disagree"
