"""The database's indexes, as the migrations leave them: every foreign key is served by an
index that leads with its column, and no single-column index repeats the lead of another."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection


def _indexes(table: str) -> list[tuple[str, list[str]]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [(name, info["columns"]) for name, info in found.items() if (info["index"] or info["unique"]) and info["columns"]]


def _tables() -> list[str]:
    return sorted({model._meta.db_table for model in apps.get_app_config("inquiries").get_models() if model._meta.managed})


@pytest.mark.django_db
@pytest.mark.parametrize("table", _tables())
def test_every_foreign_key_has_an_index_leading_with_it(table):
    model = next(model for model in apps.get_app_config("inquiries").get_models() if model._meta.db_table == table)
    leads = {columns[0] for _name, columns in _indexes(table)} | {model._meta.pk.column}
    missing = [field.column for field in model._meta.concrete_fields if field.is_relation and field.db_constraint and field.column not in leads]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("table", _tables())
def test_no_single_column_index_repeats_the_lead_of_another(table):
    indexes = _indexes(table)
    repeated = [
        name
        for name, columns in indexes
        if len(columns) == 1 and any(other != name and len(more) > 1 and more[0] == columns[0] for other, more in indexes)
    ]
    assert repeated == []


@pytest.mark.django_db
def test_the_dropped_foreign_key_indexes_are_gone_and_their_lookups_still_indexed():
    """0019 dropped thirteen single-column indexes whose column leads a unique constraint or index."""
    dropped = importlib.import_module("inquiries.migrations.0019_fk_indexes_led_by_other_indexes").INDEXES
    assert len(dropped) == 13
    for table, column, name in dropped:
        indexes = _indexes(table)
        assert name not in dict(indexes)
        assert [columns for _name, columns in indexes if columns == [column]] == []
        assert any(columns[0] == column and len(columns) > 1 for _name, columns in indexes)
