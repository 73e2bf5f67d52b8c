"""Every write to signals: creation, edits, status changes, assignment, attachments, duplicates and the
API keys of sending organisations. Each function is transactional, checks the ``signals.change``
capability when a person acts, appends to the signal's history and publishes ``signal.created`` /
``signal.changed`` after commit (``toezicht.core.events``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from toezicht.core.events import publish_on_commit
from toezicht.signals import workflow
from toezicht.signals.intake.deadlines import DeadlineRule, default_calendar
from toezicht.signals.intake.dedup import SignalRecord, find_duplicates_of
from toezicht.signals.models import (
    DuplicateCandidate,
    SenderToken,
    Signal,
    SignalAttachment,
    SignalEvent,
    SignalStatus,
    SourceType,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Possible duplicates are looked for among signals of the same organisation received this many days
# before or after the new one; the helper scores text similarity lowered per day apart.
DUPLICATE_WINDOW_DAYS = 30
DUPLICATE_THRESHOLD = 80.0
DUPLICATE_POOL_LIMIT = 500
SENDER_KEY_PREFIX = "mld_"

# Fields a person may edit with signal_update, with the Dutch name used in the history.
EDITABLE_FIELDS: dict[str, str] = {
    "title": "onderwerp",
    "description": "omschrijving",
    "source": "bron",
    "received_on": "ontvangen op",
    "occurred_on": "datum voorval",
    "area": "toezichtgebied",
    "organisation": "organisatie",
    "chain": "keten",
    "severity": "ernst",
    "people_affected": "aantal betrokkenen",
    "confidentiality": "vertrouwelijkheid",
}
EDITABLE_RELATIONS: dict[str, str] = {
    "themes": "thema's",
    "related_organisations": "andere betrokken organisaties",
    "vulnerable_groups": "kwetsbare groepen",
    "authorised_users": "ook zichtbaar voor",
}


def _person(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) and getattr(by, "pk", None) else None


def _require_change(by: Any) -> None:
    """A person needs the ``signals.change`` capability; system callers (``by=None``) are trusted."""
    person = _person(by)
    if person is not None and not person.can("signals.change"):
        raise PermissionDenied(_("U heeft geen recht om signalen te wijzigen."))


def _changed(signal_id: int) -> None:
    publish_on_commit("signal.changed", signal_id=signal_id)


def handling_deadline(source: SourceType, received_on: datetime.date) -> datetime.date:
    rule = DeadlineRule(int(source.deadline_amount), source.deadline_unit)  # type: ignore[arg-type]
    return default_calendar().due_date(received_on, rule)


def highest_reference_numbers(years: Iterable[int]) -> dict[int, int]:
    """Highest kenmerk number in use per year of receipt (0 when none).

    Longest first, then highest: past 999,999 a number has seven digits, and S-2026-1000000 sorts before
    S-2026-999999 as text. Single signals, bulk imports and norm breaches all number through here.
    """
    highest: dict[int, int] = {}
    for year in years:
        prefix = f"S-{year}-"
        last = (
            Signal.objects.filter(reference__startswith=prefix)
            .annotate(size=Length("reference"))
            .order_by("-size", "-reference")
            .values_list("reference", flat=True)
            .first()
        )
        number = 0
        if last:
            try:
                number = int(last.removeprefix(prefix))
            except ValueError:
                number = 0
        highest[year] = number
    return highest


def format_reference(year: int, number: int) -> str:
    return f"S-{year}-{number:06d}"


def next_reference(received_on: datetime.date) -> str:
    """``S-<year>-<number>``, numbered per year of receipt. Called inside the creating transaction."""
    year = received_on.year
    return format_reference(year, highest_reference_numbers([year])[year] + 1)


def default_area_for(organisation: Any) -> Any:
    """The supervision area a signal about ``organisation`` belongs to when none is given: its only
    area, or the first by name when it has several."""
    if organisation is None:
        return None
    return organisation.areas.order_by("name").first()


@transaction.atomic
def signal_create(
    *,
    title: str,
    source: SourceType,
    received_on: datetime.date,
    severity: Any,
    by: Any = None,
    themes: Iterable[Any] = (),
    related_organisations: Iterable[Any] = (),
    vulnerable_groups: Iterable[Any] = (),
    authorised_users: Iterable[Any] = (),
    note: str = "",
    check_duplicates: bool = True,
    publish: bool = True,
    **fields: Any,
) -> Signal:
    """Record a new signal with its handling deadline and a first history entry, then flag possible
    duplicates among recent signals of the same organisation. ``publish=False`` is for bulk loaders that
    announce their work once (the demo data), not per signal."""
    _require_change(by)
    if fields.get("area") is None and fields.get("organisation") is not None:
        fields["area"] = default_area_for(fields["organisation"])
    signal = Signal(
        title=title,
        source=source,
        received_on=received_on,
        severity=severity,
        created_by=_person(by),
        reference=next_reference(received_on),
        deadline=handling_deadline(source, received_on),
        **fields,
    )
    signal.full_clean(exclude=["reference"])
    signal.save()
    signal.themes.set(themes)
    signal.related_organisations.set(related_organisations)
    signal.vulnerable_groups.set(vulnerable_groups)
    signal.authorised_users.set(authorised_users)
    SignalEvent.objects.create(
        signal=signal,
        kind=SignalEvent.Kind.CREATED,
        to_status=signal.status,
        note=note or f"Ontvangen via {source.name.lower()}.",
        by=signal.created_by,
    )
    if check_duplicates:
        duplicates_flag(signal=signal)
    if publish:
        publish_on_commit("signal.created", signal_id=signal.pk)
    return signal


def _describe(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


@transaction.atomic
def signal_update(
    *,
    signal: Signal,
    by: Any,
    data: dict[str, Any],
    note: str = "",
) -> Signal:
    """Change editable fields (and the many-to-many lists); the history gets one 'gewijzigd' note naming
    each changed field with its old and new value. A new source or date of receipt resets the deadline."""
    _require_change(by)
    unknown = set(data) - set(EDITABLE_FIELDS) - set(EDITABLE_RELATIONS)
    if unknown:
        raise ValidationError(
            _("Deze velden kunnen niet worden gewijzigd: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    changes: list[str] = []
    for name, label in EDITABLE_FIELDS.items():
        if name not in data:
            continue
        old, new = getattr(locked, name), data[name]
        if old != new:
            setattr(locked, name, new)
            changes.append(f"{label}: {_describe(old)} → {_describe(new)}")
    relation_updates: dict[str, list[Any]] = {}
    for name, label in EDITABLE_RELATIONS.items():
        if name not in data:
            continue
        new_items = list(data[name])
        old_ids = set(getattr(locked, name).values_list("pk", flat=True))
        if old_ids != {item.pk for item in new_items}:
            relation_updates[name] = new_items
            changes.append(f"{label}: {', '.join(sorted(str(i) for i in new_items)) or '—'}")
    if not changes:
        return locked
    if "source" in data or "received_on" in data:
        locked.deadline = handling_deadline(locked.source, locked.received_on)
    locked.full_clean(exclude=["reference"])
    locked.save()
    for name, items in relation_updates.items():
        getattr(locked, name).set(items)
    SignalEvent.objects.create(
        signal=locked,
        kind=SignalEvent.Kind.NOTE,
        note="Gewijzigd: " + "; ".join(changes) + (f". {note}" if note else ""),
        by=_person(by),
    )
    _changed(locked.pk)
    return locked


@transaction.atomic
def signal_transition(*, signal: Signal, to_status: str, by: Any, note: str = "") -> Signal:
    """Move a signal to another status when the transition table allows it; refuse with a Dutch message."""
    _require_change(by)
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    if locked.merged_into_id is not None:
        raise ValidationError(
            _("Dit signaal is samengevoegd met een ander signaal en kan niet meer wijzigen.")
        )
    if not workflow.is_allowed(locked.status, to_status):
        current = SignalStatus(locked.status).label
        target = SignalStatus(to_status).label if to_status in SignalStatus.values else to_status
        raise ValidationError(
            _("Een signaal met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": current, "target": target}
        )
    SignalEvent.objects.create(
        signal=locked,
        kind=SignalEvent.Kind.STATUS,
        from_status=locked.status,
        to_status=to_status,
        note=note,
        by=_person(by),
    )
    locked.status = to_status
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    _changed(locked.pk)
    return locked


@transaction.atomic
def signal_assign(
    *,
    signals: Signal | Iterable[Signal],
    by: Any,
    team: Any = None,
    assignee: Any = None,
    note: str = "",
) -> int:
    """Assign one or many signals to a team and/or an inspector; one history entry per signal.

    The inspector must be able to see every signal (a confidential signal stays with its area team).
    Returns the number of signals changed.
    """
    _require_change(by)
    if team is None and assignee is None:
        raise ValidationError(_("Kies een team of een behandelaar om aan toe te wijzen."))
    items = [signals] if isinstance(signals, Signal) else list(signals)
    if not items:
        raise ValidationError(_("Selecteer eerst een of meer signalen."))
    ids = [s.pk for s in items]
    if assignee is not None:
        if not assignee.is_active or not assignee.can("signals.change"):
            raise ValidationError(_("%(user)s kan geen signalen behandelen.") % {"user": assignee})
        hidden = set(ids) - set(
            Signal.objects.visible_to(assignee).filter(pk__in=ids).values_list("pk", flat=True)
        )
        if hidden:
            references = (
                Signal.objects.filter(pk__in=hidden).order_by("reference").values_list("reference", flat=True)
            )
            raise ValidationError(
                _("%(user)s mag deze signalen niet zien en kan ze dus niet behandelen: %(references)s.")
                % {"user": assignee, "references": ", ".join(references)}
            )
    locked = list(Signal.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    parts = []
    if team is not None:
        parts.append(str(team))
    if assignee is not None:
        parts.append(f"behandelaar {assignee}")
    text = "Toegewezen aan " + " en ".join(parts) + "." + (f" {note}" if note else "")
    now = timezone.now()
    events = []
    for signal in locked:
        if team is not None:
            signal.assigned_team = team
        if assignee is not None:
            signal.assigned_to = assignee
        signal.updated_at = now
        events.append(SignalEvent(signal=signal, kind=SignalEvent.Kind.ASSIGNED, note=text, by=_person(by)))
    Signal.objects.bulk_update(locked, ["assigned_team", "assigned_to", "updated_at"], batch_size=500)
    SignalEvent.objects.bulk_create(events, batch_size=500)
    for signal in locked:
        _changed(signal.pk)
    return len(locked)


@transaction.atomic
def signal_add_attachment(*, signal: Signal, file: UploadedFile, by: Any) -> SignalAttachment:
    """Store a file with the signal (at most 20 MB)."""
    _require_change(by)
    size = file.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "file": _("Het bestand is %(size)s MB; een bijlage mag hoogstens 20 MB zijn.")
                % {"size": f"{size / 1024 / 1024:.1f}"}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    name = (file.name or "bijlage").rsplit("/", 1)[-1][:255]
    attachment = SignalAttachment.objects.create(signal=signal, file=file, name=name, uploaded_by=_person(by))
    SignalEvent.objects.create(
        signal=signal, kind=SignalEvent.Kind.NOTE, note=f"Bijlage toegevoegd: {name}.", by=_person(by)
    )
    _changed(signal.pk)
    return attachment


def _record(signal: Signal, organisation_ids: Sequence[int]) -> SignalRecord:
    return SignalRecord(
        id=signal.pk,
        organisation_ids=tuple(organisation_ids),
        date=signal.occurred_on or signal.received_on,
        text=f"{signal.title}\n{signal.description}",
        source=str(signal.source_id),
    )


def duplicates_flag(*, signal: Signal) -> list[DuplicateCandidate]:
    """Compare a signal with the signals of the same organisation(s) received within
    ``DUPLICATE_WINDOW_DAYS`` either side and store the pairs that look alike (open, for a person)."""
    own_orgs = [signal.organisation_id] if signal.organisation_id else []
    own_orgs += list(signal.related_organisations.values_list("pk", flat=True))
    if not own_orgs:
        return []
    low = signal.received_on - datetime.timedelta(days=DUPLICATE_WINDOW_DAYS)
    high = signal.received_on + datetime.timedelta(days=DUPLICATE_WINDOW_DAYS)
    # Two index-friendly queries (organisation + date index; the through table) instead of one OR.
    window = Signal.objects.filter(received_on__range=(low, high), merged_into__isnull=True).exclude(
        pk=signal.pk
    )
    fields = ("pk", "title", "description", "received_on", "occurred_on", "organisation_id", "source_id")
    direct = window.filter(organisation_id__in=own_orgs).only(*fields).order_by("-received_on")
    via_related = (
        window.filter(
            pk__in=Signal.related_organisations.through.objects.filter(organisation_id__in=own_orgs).values(
                "signal_id"
            )
        )
        .only(*fields)
        .order_by("-received_on")
    )
    found_pool = {s.pk: s for s in direct[:DUPLICATE_POOL_LIMIT]}
    for other in via_related[:DUPLICATE_POOL_LIMIT]:
        found_pool.setdefault(other.pk, other)
    pool = list(found_pool.values())
    if not pool:
        return []
    related = Signal.related_organisations.through.objects.filter(signal_id__in=[s.pk for s in pool])
    extra: dict[int, list[int]] = {}
    for signal_id, org_id in related.values_list("signal_id", "organisation_id"):
        extra.setdefault(signal_id, []).append(org_id)
    history = [_record(s, [o for o in [s.organisation_id, *extra.get(s.pk, [])] if o]) for s in pool]
    found = find_duplicates_of(
        _record(signal, own_orgs),
        history,
        window_days=DUPLICATE_WINDOW_DAYS,
        threshold=DUPLICATE_THRESHOLD,
        organisation_names=None,
    )
    rows = []
    for hit in found:
        other_id = int(hit.id_b if hit.id_a == signal.pk else hit.id_a)  # type: ignore[call-overload]
        reason = hit.reason.split(", ", 1)[-1] if hit.reason.startswith("Zelfde") else hit.reason
        rows.append(
            DuplicateCandidate(
                signal=signal,
                other_id=other_id,
                score=hit.score,
                reason=f"Zelfde organisatie, {reason}"[:255],
            )
        )
    if not rows:
        return []
    DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True)
    candidates = list(
        DuplicateCandidate.objects.filter(signal=signal, other_id__in=[r.other_id for r in rows]).order_by(
            "-score"
        )
    )
    return candidates


@transaction.atomic
def signal_merge(*, target: Signal, duplicate: Signal, by: Any, note: str = "") -> Signal:
    """Merge ``duplicate`` into ``target``: the duplicate is closed and points to the target, both keep
    their own history and both get an entry. Themes, organisations and vulnerable groups of the
    duplicate are added to the target."""
    _require_change(by)
    if target.pk == duplicate.pk:
        raise ValidationError(_("Een signaal kan niet met zichzelf worden samengevoegd."))
    pair = {s.pk: s for s in Signal.objects.select_for_update().filter(pk__in=[target.pk, duplicate.pk])}
    keep, gone = pair[target.pk], pair[duplicate.pk]
    if gone.merged_into_id is not None:
        raise ValidationError(
            _("Signaal %(ref)s is al samengevoegd met een ander signaal.") % {"ref": gone.reference}
        )
    if keep.merged_into_id is not None:
        raise ValidationError(
            _("Signaal %(ref)s is zelf samengevoegd; voeg samen met het hoofdsignaal.")
            % {"ref": keep.reference}
        )
    person = _person(by)
    suffix = f" {note}" if note else ""
    SignalEvent.objects.create(
        signal=gone,
        kind=SignalEvent.Kind.MERGED,
        from_status=gone.status,
        to_status=SignalStatus.CLOSED,
        note=f"Samengevoegd met {keep.reference}.{suffix}",
        by=person,
    )
    SignalEvent.objects.create(
        signal=keep,
        kind=SignalEvent.Kind.MERGED,
        note=f"Signaal {gone.reference} is hiermee samengevoegd.{suffix}",
        by=person,
    )
    now = timezone.now()
    gone.merged_into = keep
    gone.status = SignalStatus.CLOSED
    gone.updated_at = now
    gone.save(update_fields=["merged_into", "status", "updated_at"])
    keep.themes.add(*gone.themes.all())
    keep.vulnerable_groups.add(*gone.vulnerable_groups.all())
    extra_orgs = list(gone.related_organisations.all())
    if gone.organisation_id and gone.organisation_id != keep.organisation_id:
        extra_orgs.append(gone.organisation)
    keep.related_organisations.add(*[o for o in extra_orgs if o.pk != keep.organisation_id])
    keep.updated_at = now
    keep.save(update_fields=["updated_at"])
    DuplicateCandidate.objects.filter(
        Q(signal=keep, other=gone) | Q(signal=gone, other=keep), decision=DuplicateCandidate.Decision.OPEN
    ).update(decision=DuplicateCandidate.Decision.MERGED, decided_by=person, decided_at=now)
    _changed(keep.pk)
    _changed(gone.pk)
    return keep


@transaction.atomic
def duplicate_dismiss(*, candidate: DuplicateCandidate, by: Any) -> DuplicateCandidate:
    """Record that a flagged pair is not the same event; the pair is not flagged again."""
    _require_change(by)
    if candidate.decision != DuplicateCandidate.Decision.OPEN:
        raise ValidationError(_("Over dit mogelijke dubbele signaal is al besloten."))
    candidate.decision = DuplicateCandidate.Decision.DISMISSED
    candidate.decided_by = _person(by)
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["decision", "decided_by", "decided_at"])
    other = Signal.objects.only("reference").get(pk=candidate.other_id)
    SignalEvent.objects.create(
        signal_id=candidate.signal_id,
        kind=SignalEvent.Kind.NOTE,
        note=f"Geen dubbel signaal van {other.reference}.",
        by=_person(by),
    )
    _changed(candidate.signal_id)
    return candidate


# -- API keys of sending organisations -----------------------------------------------------------------


def sender_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def sender_token_create(*, organisation: Any, label: str) -> tuple[SenderToken, str]:
    """A new API key for ``organisation``. Returns the token and the plain key, which is shown once and
    never stored (only its SHA-256 hash is)."""
    label = (label or "").strip()
    if not label:
        raise ValidationError(
            {"label": _("Geef een omschrijving, bijvoorbeeld het systeem dat de sleutel gebruikt.")}
        )
    key = SENDER_KEY_PREFIX + secrets.token_urlsafe(32)
    token = SenderToken.objects.create(
        organisation=organisation, label=label[:120], prefix=key[:8], key_hash=sender_key_hash(key)
    )
    return token, key


@transaction.atomic
def sender_token_revoke(*, token: SenderToken) -> SenderToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def sender_signal_receive(
    *,
    token: SenderToken,
    external_id: str,
    data: dict[str, Any],
) -> tuple[Signal, bool]:
    """A notification posted by a sending organisation's own system. Idempotent on the sender's own id:
    a repeat returns the signal made the first time. Returns ``(signal, created)``."""
    sender = token.organisation
    existing = Signal.objects.filter(sender=sender, external_id=external_id).first()
    if existing is not None:
        return existing, False
    organisation = data.pop("organisation", None) or sender
    try:
        with transaction.atomic():
            signal = signal_create(
                sender=sender,
                external_id=external_id,
                organisation=organisation,
                received_on=timezone.localdate(),
                note=f"Ontvangen via de API van {sender.name} (kenmerk afzender {external_id}).",
                **data,
            )
    except IntegrityError:
        # A simultaneous repeat won the unique constraint: hand back that one.
        existing = Signal.objects.filter(sender=sender, external_id=external_id).first()
        if existing is not None:
            return existing, False
        raise
    return signal, True
