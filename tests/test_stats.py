"""Statistics: inquiries per month by faction, answer times per ministry, overdue list, SVG charts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from inquiries import charts, selectors
from tests.factories import InquiryFactory
from tests.site_world import HIDDEN_TITLES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_per_month_by_faction_counts_published_inquiries_only(world):
    monthly = selectors.inquiries_per_month_by_faction(world.term)
    assert monthly["months"][0] == datetime.date(2023, 1, 1)
    assert [faction.short_name for faction in monthly["factions"]] == ["FDP/DVP", "GRÜNE"]
    by_month = {
        (faction.short_name, month): count
        for faction in monthly["factions"]
        for month, count in zip(monthly["months"], monthly["counts"][faction.pk])
        if count
    }
    asked_overdue = (datetime.date.today() - datetime.timedelta(days=40)).replace(day=1)
    # Draft and withdrawn (FDP/DVP, asked 2024-02) are not counted: one inquiry in Feb 2024.
    assert by_month == {
        ("GRÜNE", datetime.date(2023, 1, 1)): 1,
        ("FDP/DVP", datetime.date(2024, 2, 1)): 1,
        ("GRÜNE", asked_overdue): 1,
    }
    # Months without inquiries are there too, so the axis has no gaps.
    assert len(monthly["months"]) == (asked_overdue.year - 2023) * 12 + asked_overdue.month


def test_answer_time_distribution_per_ministry(world):
    rows = selectors.answer_time_by_ministry(world.term)
    assert len(rows) == 1
    row = rows[0]
    assert row["ministry"] == world.ministry
    assert row["total"] == 2
    assert row["median"] == 39.5
    # 21 days → "15–21", 58 days → "over 42".
    assert row["buckets"] == [0, 0, 1, 0, 0, 1]


def test_overdue_list_is_published_only(world):
    InquiryFactory(parliament=world.parliament, term=world.term, reference="17/7001", draft=True, answered_on=None,
                   asked_on=datetime.date(2024, 1, 1))
    overdue, count = selectors.overdue_inquiries()
    assert [inquiry.reference for inquiry in overdue] == ["17/7000"] and count == 1


def test_statistics_page_draws_charts_with_data_tables(client, world):
    response = client.get(reverse("inquiries:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["term"] == world.term
    assert html.count('<svg class="chart"') == 2
    assert 'role="img" aria-labelledby="chart-monthly-title chart-monthly-desc"' in html
    assert '<title id="chart-monthly-title">Anfragen je Monat und Fraktion</title>' in html
    assert '<caption id="monthly-table-caption">Anfragen je Monat und Fraktion (Tabelle)</caption>' in html
    assert '<caption id="answer-times-caption">Antwortzeiten je Ministerium (Tabelle)</caption>' in html
    assert re.search(r'<tr><th scope="row"><time datetime="2024-02">Feb 2024</time></th><td class="number">1</td><td class="number">0</td><td class="number">1</td></tr>', html)
    assert "<title>Feb 2024, FDP/DVP: 1</title>" in html
    assert world.overdue.title in html
    for title in HIDDEN_TITLES:
        assert title not in html
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]


def test_statistics_term_choice_and_bad_input(client, world):
    assert client.get(reverse("inquiries:statistics") + "?wp=bw-17").status_code == 200
    for bad in ("bw-99", "", "x" * 10000, "bw-17\x00", "' OR 1=1 --"):
        response = client.get(reverse("inquiries:statistics"), {"wp": bad})
        assert response.status_code == 400
        assert "Diese Wahlperiode gibt es hier nicht." in response.content.decode()


def test_statistics_without_data_is_a_normal_page(client):
    response = client.get(reverse("inquiries:statistics"))
    assert response.status_code == 200
    assert "Derzeit ist keine Antwort überfällig." in response.content.decode()


def test_nice_ticks_and_chart_geometry():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(95) == [0, 50, 100]
    months = [datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)]
    chart = charts.stacked_columns(months, [("A", [1, 0]), ("B", [3, 2])], column_label=lambda m: m.strftime("%m"))
    assert [rect.label for rect in chart.rects] == ["01, A: 1", "01, B: 3", "02, B: 2"]
    first, second = chart.rects[0], chart.rects[1]
    assert first.y + first.height == pytest.approx(chart.plot_bottom)
    assert second.y + second.height == pytest.approx(first.y)  # stacked
    assert chart.rects[1].height == pytest.approx(3 * chart.rects[0].height)
    bars = charts.stacked_bars([("M", [1, 3])], ["fast", "slow"])
    assert [rect.width for rect in bars.rects] == pytest.approx([bars.plot_width / 4, bars.plot_width * 3 / 4])
