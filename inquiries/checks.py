"""System checks of the deployment (``manage.py check``, also run by ``migrate`` and ``runserver``)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.staticfiles, deploy=False)
def static_manifest_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Warns when hashed static files are configured but ``collectstatic`` has not written
    their manifest: every page would then fail on its stylesheet link."""
    if sys.argv[1:2] == ["collectstatic"]:
        # collectstatic runs the checks before it writes the manifest: nothing to warn of yet.
        return []
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT or "") / storage.manifest_name
    if manifest.is_file():
        return []
    return [
        Warning(
            f"The static files' manifest {manifest} is missing: pages cannot link their stylesheets.",
            hint="Run `python manage.py collectstatic --noinput` before starting the server (make serve does).",
            id="portal.W001",
        )
    ]
