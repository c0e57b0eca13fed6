"""Interactive documentation (Swagger UI) from local static files, without inline code.

The site's Content-Security-Policy forbids inline scripts and styles: the split
view serves the start-up script as its own request (``?script``), and our
template links a stylesheet instead of drf-spectacular's inline ``<style>``.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Anfragen-Portal API v1"
