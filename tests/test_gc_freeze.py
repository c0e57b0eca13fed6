"""portal/gc_freeze.py: a worker freezes what it loaded, and once more after its first requests."""

from __future__ import annotations

import gc

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from portal import gc_freeze


@pytest.fixture
def unfrozen():
    # The signal is sent here without a request: Django's own receiver, which would close
    # the database connection, stays out of it (as Django's test client keeps it out).
    request_finished.disconnect(close_old_connections)
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid="portal.gc_freeze")
    gc.unfreeze()
    request_finished.connect(close_old_connections)


def test_what_the_app_loaded_is_frozen_and_again_after_the_first_requests(unfrozen):
    gc_freeze.install()
    loaded = gc.get_freeze_count()
    assert loaded > 0
    for _ in range(gc_freeze.WARM_UP_REQUESTS - 1):
        request_finished.send(sender=None)
    kept = [[n] for n in range(5000)]  # what a worker's first pages leave in its caches
    assert gc.get_freeze_count() < loaded + len(kept)
    request_finished.send(sender=None)
    frozen = gc.get_freeze_count()
    assert frozen >= loaded + len(kept)
    # Once is enough: later requests freeze nothing more. (The count may drop: a frozen
    # object that another receiver of the signal lets go of is freed, as in a full run.)
    later = [[n] for n in range(5000)]
    request_finished.send(sender=None)
    assert gc.get_freeze_count() < frozen + len(later)
    assert len(later) == len(kept)


def test_the_wsgi_application_installs_it(unfrozen):
    import importlib

    import portal.wsgi

    importlib.reload(portal.wsgi)
    assert gc.get_freeze_count() > 0
    assert request_finished.has_listeners()
