"""The alerts' move into their own app keeps every subscription and its permissions.

Migrates a database back to before the move, writes a subscription (and the content
type and permission the admin gave it) as the inquiries app had them, migrates forward
and reads them through ``alerts.Subscription``.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from inquiries.alerts.models import Subscription

MOVE = "subscription_moves_to_alerts"


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_keeps_the_subscriptions_and_their_permissions():
    executor = _executor()
    graph = executor.loader.graph
    move = next(key for key in graph.nodes if key[0] == "inquiries" and key[1].endswith(MOVE))
    before = [("alerts", None), *sorted(graph.node_map[move].parents, key=lambda node: node.key)]
    before = [node if isinstance(node, tuple) else node.key for node in before]
    latest = executor.loader.graph.leaf_nodes()
    try:
        old = executor.migrate(before).apps
        applied = MigrationRecorder(connection).applied_migrations()
        assert move not in applied and not any(app == "alerts" for app, _name in applied)
        OldSubscription = old.get_model("inquiries", "Subscription")
        sent = timezone.make_aware(datetime.datetime(2026, 11, 30, 7, 0))
        kept = OldSubscription.objects.create(
            email="leserin@example.org", query="faction=fdp-dvp&parliament=bw", frequency="daily",
            language="en", token="t" * 43, confirmed_at=sent, sent_until=sent, last_sent_at=sent,
        )
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        content_type, _ = ContentType.objects.get_or_create(app_label="inquiries", model="subscription")
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename="delete_subscription", defaults={"name": "Can delete subscription"}
        )
    finally:
        executor = _executor()
        executor.migrate(latest)

    row = Subscription.objects.get(pk=kept.pk)
    assert (row.email, row.query, row.frequency, row.language, row.token) == (
        "leserin@example.org", "faction=fdp-dvp&parliament=bw", "daily", "en", "t" * 43,
    )
    assert row.is_confirmed and row.sent_until == sent and row.last_sent_at == sent
    assert Subscription._meta.app_label == "alerts" and Subscription._meta.db_table == "inquiries_subscription"
    from django.contrib.auth.models import Permission as CurrentPermission
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    moved = CurrentContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("alerts", "subscription")
    assert CurrentPermission.objects.get(pk=permission.pk).content_type_id == moved.pk
    # New rows go to the same table through the new app.
    Subscription.objects.create(email="zweite@example.org", query="")
    assert Subscription.objects.count() == 2
