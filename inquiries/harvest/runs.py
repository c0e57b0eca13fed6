"""A harvest run: the per-source lock, the walk over the source's listing, and the
bookkeeping that makes runs resumable, observable and idempotent.

Each document is imported in its own transaction together with its ``HarvestItem``, so a
failure leaves nothing half-saved; the run's counts and checkpoint are saved as it goes,
so an interrupted run is continued by the next one from its last finished page.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import Callable, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inquiries.harvest import importing
from inquiries.harvest.http import HarvestHttpError, RobotsRefused
from inquiries.harvest.sources.base import Listing, Source, SourceError, SourceNotReady
from inquiries.importers.base import DocumentError
from inquiries.services import workflow
from inquiries.models import (
    HarvestItem,
    HarvestItemStatus,
    HarvestRun,
    HarvestRunState,
    HarvestSource,
    InquiryState,
)

logger = logging.getLogger("inquiries.harvest")

WITHDRAWN_REASON = "Die Quelle hat den Eintrag gelöscht."
ANSWER_GONE_REASON = "Die Quelle führt die Antwort nicht mehr."

Importer = Callable[..., importing.Imported]


class SourceBusy(Exception):
    """Another run of the same source holds its lock."""


class Reporter(Protocol):
    def item(self, listing: Listing, status: str) -> None: ...

    def message(self, text: str) -> None: ...


class LogReporter:
    """Plain log lines (a cron job's output, or a terminal without a progress bar)."""

    def item(self, listing: Listing, status: str) -> None:
        logger.info("%s %s: %s", listing.external_id, listing.reference, status)

    def message(self, text: str) -> None:
        logger.info("%s", text)


# --- the lock ------------------------------------------------------------------------------


def _claim(code: str, since: datetime.date | None, until: datetime.date | None, resumed: HarvestRun | None) -> HarvestRun:
    HarvestSource.objects.get_or_create(code=code)
    with transaction.atomic():
        row = HarvestSource.objects.select_for_update().get(code=code)
        stale = timezone.now() - datetime.timedelta(minutes=settings.HARVEST_LOCK_MINUTES)
        if row.locked_by_id is not None and row.locked_at and row.locked_at > stale:
            raise SourceBusy(f"{code}: run #{row.locked_by_id} is still running (since {row.locked_at:%Y-%m-%d %H:%M})")
        run = HarvestRun.objects.create(
            source=code,
            since=since,
            until=until,
            resumed_from=resumed,
            checkpoint={**resumed.checkpoint, "resuming": True} if resumed else {},
        )
        if resumed is not None:
            HarvestRun.objects.filter(pk=resumed.pk).update(state=HarvestRunState.RESUMED)
        row.locked_by, row.locked_at = run, timezone.now()
        row.save(update_fields=["locked_by", "locked_at"])
    return run


def _mark_dead_runs(code: str) -> None:
    """A run still "running" whose lock has gone stale died (killed, power cut): it is continued like an interrupted one."""
    stale = timezone.now() - datetime.timedelta(minutes=settings.HARVEST_LOCK_MINUTES)
    live = HarvestSource.objects.filter(code=code, locked_at__gt=stale).values_list("locked_by", flat=True).first()
    dead = HarvestRun.objects.filter(source=code, state=HarvestRunState.RUNNING).exclude(pk=live)
    for run in dead:
        _stop(run, HarvestRunState.INTERRUPTED, "", "the run ended without finishing (killed or crashed)")


def _heartbeat(run: HarvestRun) -> None:
    HarvestSource.objects.filter(code=run.source, locked_by=run).update(locked_at=timezone.now())


def _release(run: HarvestRun) -> None:
    HarvestSource.objects.filter(code=run.source, locked_by=run).update(locked_by=None, locked_at=None)


# --- a run -----------------------------------------------------------------------------------


def harvest(
    source: Source,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    importer: Importer | None = None,
    reporter: Reporter | None = None,
    verify: bool = False,
) -> HarvestRun:
    """Harvest ``source`` for the window and return the finished run record.

    With ``verify``, every entry harvested from the source before is then looked up at the
    source one by one (where the source can be asked for an entry by its id), and one it
    no longer has is treated as deleted there (``Source.still_there``).

    Without a window, an interrupted run of the source is continued where it stopped, or
    an incremental source starts at the day the last complete run began. Raises
    ``SourceBusy`` when another run of the source holds its lock, ``SourceNotReady`` when
    the source cannot run as configured.
    """
    problem = source.missing_configuration()
    if problem:
        raise SourceNotReady(problem)
    reporter = reporter or LogReporter()
    importer = importer or importing.import_harvested
    _mark_dead_runs(source.code)
    resumed = None
    if since is None and until is None:
        resumed = (
            HarvestRun.objects.filter(source=source.code, state=HarvestRunState.INTERRUPTED).order_by("-started_at", "-pk").first()
        )
    if resumed is not None:
        since, until = resumed.since, resumed.until
        reporter.message(f"{source.code}: continuing run #{resumed.pk} from its checkpoint")
    elif since is None and getattr(source, "incremental", False):
        state = HarvestSource.objects.filter(code=source.code).first()
        since = (state.watermark if state and state.watermark else None) or (
            timezone.localdate() - datetime.timedelta(days=settings.HARVEST_DEFAULT_DAYS)
        )
    run = _claim(source.code, since, until, resumed)
    try:
        _walk(run, source, importer, reporter)
        if verify:
            _verify(run, source, reporter)
    except KeyboardInterrupt:
        _stop(run, HarvestRunState.INTERRUPTED, "", "interrupted by the operator")
        raise
    except RobotsRefused as refusal:
        _stop(run, HarvestRunState.FAILED, refusal.url, refusal.reason)
    except (HarvestHttpError, SourceError) as error:
        # The listing could not be read to its end: the next run continues from the checkpoint.
        _stop(run, HarvestRunState.INTERRUPTED, error.url, error.reason)
    except Exception as error:
        _stop(run, HarvestRunState.FAILED, "", f"{error.__class__.__name__}: {error}")
        raise
    else:
        run.state = HarvestRunState.FINISHED
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "finished_at"])
        if run.failed_count == 0 and run.until is None:
            # Documents that failed are listed again next time because the watermark stays.
            HarvestSource.objects.filter(code=run.source).update(watermark=timezone.localtime(run.started_at).date())
    finally:
        _release(run)
    return run


def _stop(run: HarvestRun, state: str, url: str, message: str) -> None:
    run.state = state
    run.finished_at = timezone.now()
    run.errors = [*run.errors, {"url": url, "message": message}]
    run.save(update_fields=["state", "finished_at", "errors"])


def _walk(run: HarvestRun, source: Source, importer: Importer, reporter: Reporter) -> None:
    for page in source.pages(since=run.since, until=run.until, checkpoint=run.checkpoint):
        for listing in page.listings:
            status = _process(run, source, listing, importer)
            if status:
                reporter.item(listing, status)
        run.checkpoint = page.checkpoint
        run.errors = [*run.errors, *({"url": page.url, "message": note} for note in page.notes)]
        run.save(update_fields=["checkpoint", "errors"])
        _heartbeat(run)


def _verify(run: HarvestRun, source: Source, reporter: Reporter) -> None:
    """Ask the source for each entry harvested from it; one it no longer has was deleted there."""
    items = HarvestItem.objects.filter(source=source.code, inquiry__isnull=False).exclude(
        status__in=[HarvestItemStatus.WITHDRAWN, HarvestItemStatus.FAILED]
    )
    for item in items.order_by("pk").iterator():
        there = source.still_there(item.external_id)
        if there is None:
            reporter.message(f"{source.code}: the source cannot be asked for single entries; nothing verified")
            return
        if not there:
            status = _withdrawn(run, item, WITHDRAWN_REASON)
            if status:
                reporter.item(Listing(external_id=item.external_id, reference=item.reference), status)
        _heartbeat(run)


_COUNTERS = {
    HarvestItemStatus.NEW: "new_count",
    HarvestItemStatus.CHANGED: "changed_count",
    HarvestItemStatus.UNCHANGED: "unchanged_count",
    HarvestItemStatus.WITHDRAWN: "withdrawn_count",
    HarvestItemStatus.FAILED: "failed_count",
}


def _count(run: HarvestRun, status: str, *, url: str = "", error: str = "") -> str:
    field = _COUNTERS[status]
    setattr(run, field, getattr(run, field) + 1)
    fields = [field]
    if error:
        run.errors = [*run.errors, {"url": url, "message": error}]
        fields.append("errors")
    run.save(update_fields=fields)
    return status


def _process(run: HarvestRun, source: Source, listing: Listing, importer: Importer) -> str | None:
    item = HarvestItem.objects.filter(source=source.code, external_id=listing.external_id).first()
    if listing.withdrawn:
        return _withdrawn(run, item, WITHDRAWN_REASON)
    if not listing.document_url:
        if item is not None and item.inquiry_id is not None and item.status != HarvestItemStatus.FAILED:
            # The source lists the entry again, but without the answer we imported from it.
            return _withdrawn(run, item, ANSWER_GONE_REASON)
        return None  # not answered yet: the answer's Drucksache will come with a later change
    settled = item is not None and item.status != HarvestItemStatus.FAILED and item.inquiry_id is not None
    if settled and listing.version and item.version == listing.version and item.url == listing.document_url:
        return _count(run, HarvestItemStatus.UNCHANGED)
    url = listing.document_url
    try:
        fetched = source.client.get(url, conditional=settled and item.url == url)
    except HarvestHttpError as error:
        return _failed(run, source, listing, item, url, error.reason)
    if fetched.not_modified:
        _touch(item, listing, run)
        return _count(run, HarvestItemStatus.UNCHANGED)
    digest = hashlib.sha256(fetched.content).hexdigest()
    if settled and digest == item.content_sha256 and item.listing == listing.as_json():
        _touch(item, listing, run, etag=fetched.etag, last_modified=fetched.last_modified)
        return _count(run, HarvestItemStatus.UNCHANGED)
    status = HarvestItemStatus.CHANGED if settled else HarvestItemStatus.NEW
    imported = None
    try:
        with transaction.atomic():
            imported = importer(_document_name(source.code, listing, url), fetched.content, listing, structured=source.structured)
            HarvestItem.objects.update_or_create(
                source=source.code,
                external_id=listing.external_id,
                defaults={
                    **_listing_fields(listing, run),
                    "url": url,
                    "etag": fetched.etag,
                    "last_modified": fetched.last_modified,
                    "content_sha256": digest,
                    "inquiry": imported.inquiry,
                    "status": status,
                    "disagreements": imported.disagreements,
                    "error": "",
                },
            )
    except DocumentError as error:
        _discard_stored(imported)
        return _failed(run, source, listing, item, url, str(error))
    except Exception as error:  # a parser's bug on one document must not stop the run
        _discard_stored(imported)
        logger.exception("importing %s failed", url)
        return _failed(run, source, listing, item, url, f"{error.__class__.__name__}: {error}")
    _maybe_publish(source, imported)
    return _count(run, status)


def _listing_fields(listing: Listing, run: HarvestRun) -> dict:
    return {
        "reference": listing.reference[:40],
        "title": listing.title,
        "version": listing.version[:100],
        "listing": listing.as_json(),
        "last_run": run,
    }


def _touch(item: HarvestItem | None, listing: Listing, run: HarvestRun, *, etag: str = "", last_modified: str = "") -> None:
    if item is None:
        return
    for name, value in _listing_fields(listing, run).items():
        setattr(item, name, value)
    item.etag = etag or item.etag
    item.last_modified = last_modified or item.last_modified
    item.status = HarvestItemStatus.UNCHANGED
    item.save()


def _failed(run: HarvestRun, source: Source, listing: Listing, item: HarvestItem | None, url: str, message: str) -> str:
    HarvestItem.objects.update_or_create(
        source=source.code,
        external_id=listing.external_id,
        defaults={**_listing_fields(listing, run), "url": url, "status": HarvestItemStatus.FAILED, "error": message},
    )
    return _count(run, HarvestItemStatus.FAILED, url=url, error=message)


def _discard_stored(imported: importing.Imported | None) -> None:
    """The original an import stored, when the transaction around it was rolled back after all."""
    if imported is not None and imported.stored_file:
        importing.discard_orphan(imported.stored_file)


def _withdrawn(run: HarvestRun, item: HarvestItem | None, reason: str) -> str | None:
    """The source deleted the entry (or its answer): a draft made from it is withdrawn, a
    published one is never touched but put in the editors' review queue with the reason."""
    if item is None or item.status == HarvestItemStatus.WITHDRAWN:
        return None
    with transaction.atomic():
        inquiry = item.inquiry
        note = reason
        if inquiry is not None and inquiry.state == InquiryState.DRAFT:
            workflow.withdraw(inquiry, reason=reason)
        elif inquiry is not None and inquiry.state == InquiryState.PUBLISHED:
            note = f"{reason} The published inquiry stays until an editor decides."
        item.status = HarvestItemStatus.WITHDRAWN
        item.error = note
        item.last_run = run
        item.save()
    return _count(run, HarvestItemStatus.WITHDRAWN)


def _maybe_publish(source: Source, imported: importing.Imported) -> None:
    """Publish at once where the settings allow it for the source and nothing needs a look."""
    if source.code not in settings.HARVEST_AUTO_PUBLISH or not source.structured:
        return
    if not importing.parse_is_complete(imported) or imported.inquiry.state != InquiryState.DRAFT:
        return
    try:
        workflow.publish(imported.inquiry)
    except workflow.TransitionError as refusal:
        logger.info("%s stays a draft: %s", imported.inquiry.reference, refusal)


def _document_name(code: str, listing: Listing, url: str) -> str:
    basename = urlsplit(url).path.rsplit("/", 1)[-1]
    if basename and "." in basename:
        return f"{code}-{basename}"[:200]
    return f"{code}-{listing.external_id}"[:200]
