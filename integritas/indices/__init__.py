"""Indices: the scoring engine (pure, in engine/), official SPI results, dashboards, weak points."""
