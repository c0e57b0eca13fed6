"""The facts of the inquiry page (``<dl class="facts">``): paper, askers, dates, deadline, ministries.

Printed by Django's template engine this list was a third of the page's template time: a
dozen translated labels, four dates through the ``date`` filter and plural translations
of the deadline, each a lookup of variables and a translation. Here it is one pass over
values escaped once, dates by ``listing_rows.time_html``; the HTML is byte for byte what
``inquiry_detail.html`` printed, as tests/test_inquiry_detail_cost.py checks against the
template it replaced.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _, ngettext

from inquiries.listing_rows import month_names, time_html
from inquiries.selectors import pages

register = template.Library()


def escape(value: Any) -> str:
    # What Django's ``escape`` does, without its lazy-text wrapper, which cost more than the
    # escaping (some 25 values a page); the result is marked safe with the whole list.
    return html.escape(str(value))

_LABELS = (
    "Drucksache", "Art", "Fragesteller", "Fraktionen", "gestellt am", "beantwortet am", "Frist",
    "antwortendes Ministerium", "unterzeichnet von", "beantwortet", "Frist eingehalten", "überfällig",
    "noch nicht beantwortet", "Frist bis",
)


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> dict[str, str]:
    """The list's fixed labels in ``language``, escaped: translated once per process and
    language instead of a dozen lookups per page (each through asgiref's Local)."""
    return {label: escape(_(label)) for label in _LABELS} | {"%(number)s. Wahlperiode": _("%(number)s. Wahlperiode")}


def _value(value: Any) -> str:
    # As a template prints a variable: localized, then escaped.
    return escape(formats.localize(value))


def _deadline_term(days: int) -> str:
    return ngettext("Frist: %(days)s Tag", "Frist: %(days)s Tage", days) % {"days": _value(days)}


def _deadline(inquiry: Any, labels: dict[str, str], months: dict[int, str]) -> str:
    """What the ``<dd class="deadline">`` holds (its line breaks are the template's)."""
    deadline = pages.inquiry_deadline(inquiry)
    deadline_days = inquiry.deadline_days
    if deadline.is_answered:
        if inquiry.answer_days is not None:
            text = ngettext("beantwortet nach %(days)s Tag", "beantwortet nach %(days)s Tagen", inquiry.answer_days) % {"days": _value(inquiry.answer_days)}
        else:
            text = labels["beantwortet"]
        if deadline_days:
            text += f" – {_deadline_term(deadline_days)}"
        in_time, badge = inquiry.answered_in_time, ""
        if in_time is True:
            badge = f'<span class="badge badge--ok">{labels["Frist eingehalten"]}</span>'
        elif in_time is False:
            late = ngettext("Frist um %(days)s Tag überschritten", "Frist um %(days)s Tage überschritten", deadline.days_late)
            badge = f'<span class="badge badge--late">{late % {"days": _value(deadline.days_late)}}</span>'
        return f"{text}\n      {badge}\n      "
    if deadline.is_overdue:
        late = ngettext("Die Frist lief vor %(days)s Tag ab", "Die Frist lief vor %(days)s Tagen ab", deadline.days_late) % {"days": _value(deadline.days_late)}
        return f'<span class="badge badge--late">{labels["überfällig"]}</span> {late} ({time_html(inquiry.due_on, months)}).\n      '
    if inquiry.due_on:
        return f"{labels['noch nicht beantwortet']} – {labels['Frist bis']} {time_html(inquiry.due_on, months)}\n      "
    return labels["noch nicht beantwortet"] + (f" – {_deadline_term(deadline_days)}" if deadline_days else "")


def facts_html(page: pages.InquiryPage) -> SafeString:
    """The ``<dl class="facts">`` of an ``InquiryPage``."""
    inquiry = page.inquiry
    language = get_language()
    labels, months = _labels(language), month_names(language)
    kind = escape(page.kind_label)
    term = labels["%(number)s. Wahlperiode"] % {"number": _value(page.term_number)}
    lines = [
        '<dl class="facts">',
        f"    <dt>{labels['Drucksache']}</dt><dd>{escape(inquiry.reference)} ({escape(inquiry.parliament.name)}, {term})</dd>",
        f"    <dt>{labels['Art']}</dt><dd>{kind}</dd>",
    ]
    askers = ""
    if page.askers:
        items = "".join(
            f'<li><a href="{escape(asker.person.url)}">{escape(asker.person.name)}</a>'
            + (f' (<a href="{escape(asker.faction.url)}">{escape(asker.faction.name)}</a>)' if asker.faction else "")
            + "</li>"
            for asker in page.askers
        )
        askers = f'<dt>{labels["Fragesteller"]}</dt><dd><ul class="plain">{items}</ul></dd>'
    lines.append(f"    {askers}")
    factions = ""
    if page.factions:
        links = ", ".join(f'<a href="{escape(faction.url)}">{escape(faction.name)}</a>' for faction in page.factions)
        factions = f"<dt>{labels['Fraktionen']}</dt><dd>{links}</dd>"
    lines.append(f"    {factions}")
    lines.append(f"    <dt>{labels['gestellt am']}</dt><dd>{time_html(inquiry.asked_on, months)}</dd>" if inquiry.asked_on else "    ")
    lines.append(f"    <dt>{labels['beantwortet am']}</dt><dd>{time_html(inquiry.answered_on, months)}</dd>" if inquiry.answered_on else "    ")
    lines.append(f"    <dt>{labels['Frist']}</dt>")
    lines.append(f'    <dd class="deadline">{_deadline(inquiry, labels, months)}</dd>')
    ministry = page.answering_ministry
    lines.append(
        f'    <dt>{labels["antwortendes Ministerium"]}</dt><dd><a href="{escape(ministry.url)}" lang="de">{escape(ministry.name)}</a></dd>'
        if ministry
        else "    "
    )
    roles = "".join(
        f"\n    <dt>{escape(role)}</dt><dd><ul class=\"plain\">"
        + "".join(f'<li><a href="{escape(link.url)}" lang="de">{escape(link.name)}</a></li>' for link in links)
        + "</ul></dd>"
        for role, links in page.ministry_roles
    )
    lines.append(f"    {roles}")
    signed = ""
    if inquiry.signed_by:
        person = inquiry.signed_by
        signed = f'<dt>{labels["unterzeichnet von"]}</dt><dd><a href="{escape(person.get_absolute_url())}">{escape(person.full_name)}</a>'
        if inquiry.signed_by_role:
            signed += f', <span lang="de">{escape(inquiry.signed_by_role)}</span>'
        signed += "</dd>"
    lines.append(f"    {signed}")
    lines.append("  </dl>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every value escaped above


@register.simple_tag
def inquiry_facts(page: pages.InquiryPage) -> SafeString:
    """``{% inquiry_facts page %}``: the facts list of the inquiry page."""
    return facts_html(page)
