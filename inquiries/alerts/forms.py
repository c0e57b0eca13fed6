from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.alerts.models import DigestFrequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=DigestFrequency.choices,
        initial=DigestFrequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wie oft Sie Post erhalten möchten.")},
    )
