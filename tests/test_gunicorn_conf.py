"""portal/gunicorn.conf.py: the settings `make serve` and the benchmark's servers share."""

from __future__ import annotations

import runpy

from tests.conftest import REPO_DIR

CONF = REPO_DIR / "portal" / "gunicorn.conf.py"


def _settings(monkeypatch, **environment: str) -> dict:
    for name in ("GUNICORN_ACCESS_LOG", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_no_access_log_of_its_own_unless_asked_for(monkeypatch):
    assert _settings(monkeypatch)["accesslog"] is None
    assert _settings(monkeypatch, GUNICORN_ACCESS_LOG="-")["accesslog"] == "-"
    settings = _settings(monkeypatch, GUNICORN_WORKERS="2")
    assert (settings["workers"], settings["threads"], settings["keepalive"], settings["errorlog"]) == (2, 1, 5, "-")


def test_gunicorn_reads_the_file():
    from gunicorn.app.base import Application

    class Probe(Application):
        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    probe = Probe.__new__(Probe)
    probe.usage, probe.prog, probe.callable = None, None, None
    probe.cfg = None
    probe.do_load_config = lambda: None
    from gunicorn.config import Config

    probe.cfg = Config()
    probe.load_config_from_file(str(CONF))
    assert probe.cfg.accesslog is None and probe.cfg.worker_class_str == "sync" and probe.cfg.keepalive == 5


def test_the_benchmark_starts_its_servers_with_the_file():
    source = (REPO_DIR / "bench" / "run.py").read_text()
    assert '"-c", str(ROOT / "portal" / "gunicorn.conf.py"), "portal.wsgi"' in source
