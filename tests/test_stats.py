"""Statistics: inquiries per month by faction, answer times per ministry, overdue list, SVG charts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from inquiries import charts
from inquiries.selectors import statistics
from tests.factories import InquiryFactory
from tests.site_world import HIDDEN_TITLES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(backend):
    """The site's world, for each search backend (the engine's index or the database counts)."""
    return build_world()


def test_per_month_by_faction_counts_published_inquiries_only(world):
    monthly = statistics.inquiries_per_month_by_faction(world.term)
    # The axis starts with the term (11 May 2021), not with the first inquiry.
    assert monthly["months"][0] == datetime.date(2021, 5, 1)
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
    assert len(monthly["months"]) == (asked_overdue.year - 2021) * 12 + asked_overdue.month - 4
    assert monthly["outside"] == 0


def test_answer_time_distribution_per_ministry(world):
    rows = statistics.answer_time_by_ministry(world.term)
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
    overdue, count = statistics.overdue_inquiries()
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


def test_a_terms_axis_covers_the_term_and_inquiries_dated_outside_it_are_data_problems(client, admin_client, backend):
    from inquiries.models import Party
    from tests.factories import FactionFactory, ParliamentFactory, TermFactory

    bt = ParliamentFactory(code="BT", name="Deutscher Bundestag")
    term = TermFactory(parliament=bt, number=19, start_date=datetime.date(2017, 10, 24), end_date=datetime.date(2021, 10, 26))
    afd = FactionFactory(parliament=bt, short_name="AfD", slug="afd", party=Party.objects.create(short_name="AfD", name="Alternative für Deutschland", slug="afd"))
    inside = InquiryFactory(parliament=bt, term=term, reference="19/100", asked_on=datetime.date(2018, 3, 5), factions=[afd])
    early = InquiryFactory(parliament=bt, term=term, reference="19/1", asked_on=datetime.date(2013, 12, 17), factions=[afd])

    monthly = statistics.inquiries_per_month_by_faction(term)
    assert (monthly["months"][0], monthly["months"][-1]) == (datetime.date(2017, 10, 1), datetime.date(2021, 10, 1))
    assert sum(monthly["counts"][afd.pk]) == 1 and monthly["outside"] == 1
    assert list(statistics.inquiries_dated_outside_term()) == [early]
    assert inside not in statistics.inquiries_dated_outside_term()

    html = client.get(reverse("inquiries:statistics"), {"wp": "bt-19"}).content.decode()
    assert '<time datetime="2017-10">' in html and '<time datetime="2013-12">' not in html
    assert "außerhalb ihrer Dauer datiert" not in html  # for editors only
    html = admin_client.get(reverse("inquiries:statistics"), {"wp": "bt-19"}).content.decode()
    assert "Für die Redaktion: 1 Anfrage dieser Wahlperiode ist außerhalb ihrer Dauer datiert und fehlt im Diagramm." in html
    listed = admin_client.get(reverse("admin:inquiries_inquiry_changelist"), {"dated_outside_term": "yes"})
    assert listed.status_code == 200
    assert [inquiry.pk for inquiry in listed.context["cl"].result_list] == [early.pk]


def test_parties_have_their_colours_and_every_series_a_pattern_in_chart_and_legend(client, world):
    assert charts.party_colour("CDU") == charts.party_colour(None, "CDU/CSU") == "#1a1a1a"
    assert charts.party_colour("SPD") == "#c8102e" and charts.party_colour("AfD") == "#0a6eb4"
    assert charts.party_colour("FDP") == charts.party_colour(None, "FDP/DVP") == "#f2c500"
    assert charts.party_colour("GRÜNE") == charts.party_colour("Bündnis 90/Die Grünen") == "#2e7d32"
    assert charts.party_colour("Die Linke") and charts.party_colour("BSW") and charts.party_colour("FW") and charts.party_colour("SSW")
    assert charts.party_colour("Piraten") is None

    html = client.get(reverse("inquiries:statistics")).content.decode()
    legend = re.search(r'<ul class="legend">(.*?)</ul>', html, re.S).group(1)
    entries = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"(?: stroke="(#[0-9a-f]{6})")?/>(?:<rect [^>]*fill="url\(#([\w-]+)\)"/>)?</svg>([^<]+)</li>', legend)
    # FDP/DVP (party FDP) in yellow with a dark outline, GRÜNE in green; the second has a pattern.
    assert [(colour, outline, label) for colour, outline, _pattern, label in entries] == [("#f2c500", "#6b5500", "FDP/DVP"), ("#2e7d32", "", "GRÜNE")]
    pattern = entries[1][2]
    assert pattern and f'<pattern id="{pattern}"' in html
    assert f'fill="url(#{pattern})" pointer-events="none"' in html
    assert "style=" not in legend  # the CSP allows no inline styles


def test_series_keep_distinct_patterns_and_light_fills_an_outline():
    styles = charts.series_styles(["A", "B", "C"], ["#f2c500", None, None])
    assert styles[0] == ("#f2c500", "")
    assert len({pattern for _colour, pattern in styles}) == 3
    assert len({colour for colour, _pattern in styles}) == 3
    chart = charts.stacked_columns([datetime.date(2024, 1, 1)], [("A", [1]), ("B", [2])], column_label=str, colours=["#f2c500", None])
    assert chart.rects[0].outline == "#6b5500" and chart.rects[1].outline == ""
    assert chart.patterns == [chart.legend[1].pattern]


def _figures(term, ministry):
    from inquiries.selectors import pages

    monthly = statistics.inquiries_per_month_by_faction(term)
    stats = pages.ministry_answer_stats(ministry)
    return (
        {key: value for key, value in monthly.items() if key != "factions"} | {"factions": [faction.pk for faction in monthly["factions"]]},
        statistics.answer_time_by_ministry(term),
        (stats.answered, stats.with_deadline, stats.in_time, stats.median_days, stats.answers, stats.refused),
    )


@pytest.mark.parametrize("dated", [True, False], ids=["term-with-dates", "term-without-dates"])
def test_the_engine_gives_the_statistics_the_database_gives(settings, dated):
    """Charts, answer-time table and a ministry's figures off the search index are those of the
    database: dated by the day asked or else answered, undated and outside the term left out, an
    inquiry of two groups counted for both, refusals counted per answer."""
    from inquiries.models import Term
    from tests.factories import FactionFactory, PersonFactory

    world = build_world()
    term = world.term
    if not dated:
        Term.objects.filter(pk=term.pk).update(start_date=None, end_date=None)
        term.refresh_from_db()
    afd = FactionFactory(parliament=world.parliament, short_name="AfD", slug="afd")
    refusal = "Aus Gründen der Geheimhaltung wird von einer Beantwortung abgesehen."
    cases = [
        # (asked, answered, factions, askers' groups, answers)
        (datetime.date(2022, 3, 4), datetime.date(2022, 4, 30), [world.fdp, world.greens], [afd], ["Ja.", refusal, ""]),
        (None, datetime.date(2022, 6, 15), [afd], [], ["Nein."]),
        (None, None, [afd], [], []),
        (datetime.date(2019, 1, 2), datetime.date(2019, 2, 2), [world.fdp], [], ["Ja.", "Ja."]),  # before the term began
        (datetime.date(2022, 11, 30), None, [], [world.greens], []),
        (datetime.date(2023, 7, 1), datetime.date(2023, 7, 20), [], [], ["Die Angaben können wegen des unverhältnismäßigen Verwaltungsaufwands nicht gemacht werden."]),
    ]
    for number, (asked, answered, factions, groups, answers) in enumerate(cases):
        InquiryFactory(
            parliament=world.parliament, term=term, reference=f"17/{9100 + number}", asked_on=asked, answered_on=answered,
            answering_ministry=world.ministry, factions=factions, askers=[(PersonFactory(), group) for group in groups],
            questions=[(f"Frage {n}?", answer) for n, answer in enumerate(answers)],
        )
    settings.SEARCH_ENGINE = "tantivy"
    from_engine = _figures(term, world.ministry)
    settings.SEARCH_ENGINE = "database"
    from_database = _figures(term, world.ministry)
    assert from_engine == from_database
    monthly, answer_times, ministry = from_engine
    assert monthly["outside"] == (1 if dated else 0)
    assert afd.pk in monthly["factions"] and sum(monthly["counts"][afd.pk]) == 2
    assert ministry[5] == 2 and answer_times[0]["refused"] == 2
