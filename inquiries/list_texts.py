"""The list and search page's title and results heading, written in Python.

In ``inquiry_list.html`` they were four ``{% blocktranslate %}`` (each a context push, its
variables resolved, localised and escaped one by one): ~0.5 ms of a page's CPU. Here the
same catalogue messages (the msgids the template tags made, so the translations stay as
they are) are filled in with the values written as the template wrote them: numbers
localised, ``intcomma`` for the count, every value escaped.
"""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _, ngettext


def _value(value: object) -> str:
    # As ``render_value_in_context`` writes a variable: localised, then escaped.
    return conditional_escape(str(localize(value)))


def title(query_text: str, number: int) -> SafeString:
    """The ``<title>``'s own part: the search words or "Anfragen", and the page past the first."""
    text = _("Suche nach „%(query_text)s“") % {"query_text": _value(query_text)} if query_text else conditional_escape(_("Anfragen"))
    if number > 1:
        text += " – " + _("Seite %(number)s") % {"number": _value(number)}
    return mark_safe(text)  # noqa: S308 - the values escaped above


def results_heading(query_text: str, searched: bool, count: int, number: int, pages: int) -> SafeString:
    """The results' heading: how many (hits for the words when ``searched``), and which page of how many."""
    grouped = _value(intcomma(count))
    if searched:
        text = ngettext("%(count)s Treffer für „%(query)s“", "%(count)s Treffer für „%(query)s“", count) % {
            "count": grouped, "query": _value(query_text)
        }
    else:
        text = ngettext("%(count)s Anfrage", "%(count)s Anfragen", count) % {"count": grouped}
    if pages > 1:
        text += '<span class="page-of">, ' + _("Seite %(number)s von %(total)s") % {"number": _value(number), "total": _value(pages)} + "</span>"
    return mark_safe(text)  # noqa: S308 - the values escaped above
