import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

from portal import gc_freeze  # noqa: E402 - needs the settings loaded

gc_freeze.install()
