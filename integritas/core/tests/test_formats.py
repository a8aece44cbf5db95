"""The template filters and shared partials write numbers and months in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation


def test_the_month_filter_names_the_month_and_year() -> None:
    template = Template("{% load integritas %}{{ day|bulan }}")
    with translation.override("id"):
        assert template.render(Context({"day": dt.date(2026, 10, 6)})) == "Oktober 2026"
    with translation.override("en"):
        assert template.render(Context({"day": dt.date(2026, 10, 6)})) == "October 2026"
    assert template.render(Context({"day": None})) == ""


def test_the_count_under_a_list_groups_thousands() -> None:
    page = Paginator(range(1234), 25).get_page(1)
    with translation.override("id"):
        assert "1.234 data" in render_to_string("_pagination.html", {"page": page})
    with translation.override("en"):
        assert "1,234 items" in render_to_string("_pagination.html", {"page": page})
