from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """E-mail alerts: a concern of their own, with their own models, admin and migrations."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "inquiries.alerts"
    label = "alerts"
    verbose_name = _("E-Mail-Benachrichtigungen")
