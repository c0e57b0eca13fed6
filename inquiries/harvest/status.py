"""Each source's state for ``manage.py harvest --list``: never a silently empty parliament."""

from __future__ import annotations

from dataclasses import dataclass

from inquiries.harvest.http import PoliteClient
from inquiries.harvest.sources import SOURCES
from inquiries.models import HarvestRun, HarvestRunState


@dataclass
class SourceStatus:
    code: str
    interface: str
    state: str
    note: str


def source_statuses(client: PoliteClient) -> list[SourceStatus]:
    rows = []
    for code, source_class in SOURCES.items():
        source = source_class(client)
        last = HarvestRun.objects.filter(source=code).order_by("-started_at", "-pk").first()
        notes = []
        if not source.implemented:
            state = "not implemented"
        elif source.missing_configuration():
            state = "needs key"
            notes.append(source.missing_configuration() or "")
        elif last is not None and last.state in (HarvestRunState.FAILED, HarvestRunState.INTERRUPTED) and last.errors:
            message = last.errors[-1]["message"]
            state = "refused (robots.txt)" if "robots.txt" in message else "unreachable"
            notes.append(f"{last.errors[-1]['url']}: {message}" if last.errors[-1]["url"] else message)
        elif source.limited_state:
            state = source.limited_state
        elif last is None:
            state = "ready (not run yet)"
        else:
            state = "working"
        if source.implemented and not source.tested:
            notes.append("untested: no recorded answer of the source")
        if source.caveat:
            notes.append(source.caveat)
        if last is not None:
            notes.append(
                f"last run #{last.pk} {last.get_state_display()} {last.started_at:%Y-%m-%d %H:%M}: "
                f"{last.new_count} new, {last.changed_count} changed, {last.unchanged_count} unchanged, "
                f"{last.withdrawn_count} deleted at the source, {last.failed_count} failed"
            )
        rows.append(SourceStatus(code, source.interface, state, "; ".join(notes)))
    return rows
