from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inquiries"
    verbose_name = _("Parlamentarische Anfragen")

    def ready(self) -> None:
        # The search index's storage lives with the search code, not the domain models.
        from inquiries.search import models  # noqa: F401
        from inquiries import checks, search, tombstones, versions  # noqa: F401  (checks registers itself)
        from portal import csrf_tokens

        search.connect()
        tombstones.connect()
        versions.connect()
        # The page frame's language switch needs a CSRF token on every page: drawn in one call.
        csrf_tokens.install()
