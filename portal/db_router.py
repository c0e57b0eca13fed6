"""Send reads to a read replica (DATABASE_REPLICA_URL) and everything else to the primary."""

from __future__ import annotations


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return "replica"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data: the replica mirrors the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == "default"
