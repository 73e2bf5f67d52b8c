"""Reads of signals. Every function takes the user and starts from ``Signal.objects.visible_to(user)``."""

from __future__ import annotations

import datetime
import re
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy

from toezicht.core.i18n import translate_note
from toezicht.signals.intake.triage import (
    OrganisationMatcher,
    ThemeClassifier,
    TriageSuggestions,
    suggest_triage,
)
from toezicht.signals.models import (
    OPEN_STATUSES,
    Confidentiality,
    DuplicateCandidate,
    ImportBatch,
    SeverityLevel,
    Signal,
    SignalEvent,
    SignalStatus,
    SourceType,
)

SIGNAL_SORTS: dict[str, tuple[str, ...]] = {
    "ontvangen": ("-received_on", "-id"),
    "-ontvangen": ("received_on", "id"),
    "termijn": ("deadline", "-id"),
    "-termijn": ("-deadline", "-id"),
    "ernst": ("-severity__rank", "-received_on", "-id"),
    "-ernst": ("severity__rank", "-received_on", "-id"),
}

# Above this many results the list says "more than" instead of counting every row (bounded count). A
# thousand is forty pages: nobody pages further, and a larger cap makes a selective filter over a million
# signals scan ten times as many rows just to say how many there are.
COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class SignalFilter:
    query: str = ""
    status: str = ""  # a SignalStatus value, "open" for all open statuses, or "" for all
    area_id: int | None = None
    organisation_id: int | None = None
    organisation_name: str = ""
    theme_id: int | None = None
    source_id: int | None = None
    severity_id: int | None = None
    overdue: str = ""  # "ja", "nee" or ""
    assigned: str = ""  # "mij", "geen" or ""
    sort: str = "ontvangen"

    @property
    def is_empty(self) -> bool:
        return self == SignalFilter(sort=self.sort)


WHOLE_REFERENCE = re.compile(r"S-\d{4}-\d{6,}", re.IGNORECASE)


def signals_visible(user: Any) -> QuerySet[Signal]:
    return Signal.objects.visible_to(user)


def _open_q() -> Q:
    return Q(status__in=OPEN_STATUSES, merged_into__isnull=True)


def signal_list(user: Any, filters: SignalFilter, today: datetime.date | None = None) -> QuerySet[Signal]:
    today = today or datetime.date.today()
    queryset = signals_visible(user).select_related(
        "source", "severity", "organisation", "area", "assigned_team", "assigned_to"
    )
    if filters.query:
        for word in filters.query.split()[:6]:
            if WHOLE_REFERENCE.fullmatch(word):
                # a pasted kenmerk: that signal, through the unique index, instead of a scan of every title
                queryset = queryset.filter(reference=word.upper())
            else:
                queryset = queryset.filter(Q(reference__icontains=word) | Q(title__icontains=word))
    if filters.status == "open":
        queryset = queryset.filter(_open_q())
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.area_id:
        queryset = queryset.filter(area_id=filters.area_id)
    if filters.organisation_id:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    if filters.organisation_name:
        from toezicht.register.models import Organisation

        queryset = queryset.filter(
            organisation__in=Organisation.objects.filter(name__icontains=filters.organisation_name).values(
                "pk"
            )
        )
    if filters.theme_id:
        # EXISTS, not IN: the list then walks the date index and stops after one page, instead of
        # fetching and sorting every signal of a theme that covers a tenth of all signals.
        queryset = queryset.filter(
            Exists(Signal.themes.through.objects.filter(signal_id=OuterRef("pk"), theme_id=filters.theme_id))
        )
    if filters.source_id:
        queryset = queryset.filter(source_id=filters.source_id)
    if filters.severity_id:
        queryset = queryset.filter(severity_id=filters.severity_id)
    overdue = _open_q() & Q(deadline__lt=today)
    if filters.overdue == "ja":
        queryset = queryset.filter(overdue)
    elif filters.overdue == "nee":
        queryset = queryset.exclude(overdue)
    if filters.assigned == "mij":
        queryset = queryset.filter(assigned_to=user)
    elif filters.assigned == "geen":
        queryset = queryset.filter(assigned_to__isnull=True, assigned_team__isnull=True)
    order = SIGNAL_SORTS.get(filters.sort, SIGNAL_SORTS["ontvangen"])
    return queryset.order_by(*order)


def _count_upto(queryset: QuerySet[Any], limit: int) -> int:
    """How many rows match, counting no further than ``limit``. Only the filters matter for a count: no
    ordering, no joined columns."""
    return int(queryset.order_by().values("pk")[:limit].count())


@dataclass(frozen=True)
class AttentionCount:
    """One line of the dashboard: how many signals need something, counted no further than COUNT_LIMIT."""

    label: str
    count: int
    query: str  # the inbox filter that lists them

    @property
    def more(self) -> bool:
        return self.count > COUNT_LIMIT

    @property
    def limit(self) -> int:
        return COUNT_LIMIT


def signals_needing_attention(user: Any, today: datetime.date | None = None) -> list[AttentionCount]:
    """What the dashboard asks of the signals the user may see: open ones nobody has been assigned, open
    ones past their handling deadline, and open ones assigned to the user. Three bounded counts."""
    wanted = [
        (
            gettext("open, zonder behandelaar of team"),
            SignalFilter(status="open", assigned="geen"),
            "status=open&toegewezen=geen",
        ),
        (gettext("over de afhandeltermijn"), SignalFilter(overdue="ja"), "termijn=ja"),
        (
            gettext("open en aan u toegewezen"),
            SignalFilter(status="open", assigned="mij"),
            "status=open&toegewezen=mij",
        ),
    ]
    return [
        AttentionCount(label, _count_upto(signal_list(user, filters, today), COUNT_LIMIT + 1), query)
        for label, filters, query in wanted
    ]


class SeverityOrdered:
    """The filtered signals most severe level first (or least severe first), newest first within a level,
    without sorting all of them: one date-ordered slice per level, each walking the index
    signal_severity_received. A page costs at most two small queries per level (there are a handful)."""

    ordered = True  # for the Paginator: the order is well defined

    def __init__(self, queryset: QuerySet[Signal], level_ids: list[int]) -> None:
        self.queryset = queryset.order_by("-received_on", "-id")
        self.level_ids = level_ids

    def _level(self, level_id: int) -> QuerySet[Signal]:
        return self.queryset.filter(severity_id=level_id)

    def count(self, limit: int | None = None) -> int:
        """All of them, or (with ``limit``) at most ``limit + 1``: enough to say "more than"."""
        if limit is None:
            return sum(self._level(level_id).count() for level_id in self.level_ids)
        total = 0
        for level_id in self.level_ids:
            if total > limit:
                break
            total += _count_upto(self._level(level_id), limit + 1 - total)
        return total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Signal]:
        start = window.start or 0
        stop = window.stop if window.stop is not None else start + COUNT_LIMIT
        rows: list[Signal] = []
        first_of_level = 0  # position in the whole list of the current level's first signal
        for level_id in self.level_ids:
            if first_of_level >= stop:
                break
            level = self._level(level_id)
            low = max(start - first_of_level, 0)
            high = stop - first_of_level
            found = list(level[low:high])
            rows.extend(found)
            if len(found) == high - low:
                break  # this level filled the rest of the page
            size = low + len(found) if found or not low else _count_upto(level, low)
            first_of_level += size
        return rows


def inbox_rows(user: Any, filters: SignalFilter) -> QuerySet[Signal] | SeverityOrdered:
    """What the inbox pages through: the filtered list, in severity order through ``SeverityOrdered``."""
    queryset = signal_list(user, filters)
    if filters.query:
        queryset = _narrowed_to_few_matches(queryset)
    if filters.sort in ("ernst", "-ernst"):
        ranked = SeverityLevel.objects.order_by("-rank" if filters.sort == "ernst" else "rank", "pk")
        return SeverityOrdered(queryset, list(ranked.values_list("pk", flat=True)))
    return queryset


def _narrowed_to_few_matches(queryset: QuerySet[Signal]) -> QuerySet[Signal]:
    """A text search that few signals match ("000123") is found fastest by one unordered scan: walking the
    date index newest first to fill a page visits every signal when the matches are few (0.6 s instead of
    0.3 s on PostgreSQL over a million signals). The scan stops after COUNT_LIMIT + 1 matches, so a word
    that many signals contain costs a few milliseconds here and keeps the index walk, which then stops
    early."""
    ids = list(queryset.order_by().values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    if len(ids) > COUNT_LIMIT:
        return queryset
    return queryset.filter(pk__in=ids)


class BoundedPaginator(Paginator):
    """Counts at most ``COUNT_LIMIT + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT n)``), so the first page
    of a million signals costs the same as that of a hundred. ``count_capped`` tells the page to say
    "more than"."""

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        if isinstance(rows, SeverityOrdered):
            return rows.count(limit=COUNT_LIMIT)
        return _count_upto(rows, COUNT_LIMIT + 1)

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_LIMIT


def paginate_bounded(
    request: HttpRequest, queryset: QuerySet[Any] | SeverityOrdered, per_page: int = 25
) -> Page[Any]:
    paginator = BoundedPaginator(cast(Any, queryset), per_page)
    number = request.GET.get("page", "1")
    if number in ("", "1"):
        # The first page is read with one row extra. When that row is missing, the page holds everything
        # and its length is the count: a selective filter (a reference searched over a million signals)
        # then scans the table once, not twice. Otherwise the bounded count follows when the page shows it.
        rows = list(queryset[: per_page + 1])
        if len(rows) <= per_page:
            paginator.__dict__["count"] = len(rows)  # fills the cached_property
        return Page(rows[:per_page], 1, paginator)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def signal_get(user: Any, pk: int) -> Signal:
    """The signal if this user may see it; 404 otherwise (never revealing that it exists)."""
    return get_object_or_404(
        signals_visible(user)
        .select_related(
            "source",
            "severity",
            "organisation",
            "area",
            "chain",
            "assigned_team",
            "assigned_to",
            "created_by",
            "merged_into",
            "sender",
        )
        .prefetch_related("themes", "related_organisations", "vulnerable_groups", "authorised_users"),
        pk=pk,
    )


def signal_history(signal: Signal) -> list[SignalEvent]:
    """The signal's events, oldest first. An imported signal has no stored "aangemaakt" event: its import
    batch records who imported which file and when (ADR 0063), and the first line is made from that."""
    events = list(SignalEvent.objects.filter(signal=signal).select_related("by").order_by("at", "id"))
    if signal.import_batch_id is not None and not any(e.kind == SignalEvent.Kind.CREATED for e in events):
        batch = ImportBatch.objects.select_related("imported_by").get(pk=signal.import_batch_id)
        created = SignalEvent(
            signal=signal,
            kind=SignalEvent.Kind.CREATED,
            to_status=SignalStatus.RECEIVED,
            # Dutch like the stored notes it stands for (history notes are data, docs/translations.md)
            note=f"Geïmporteerd uit {batch.filename}.",
            at=signal.created_at,
            by=batch.imported_by,
        )
        events.insert(0, created)
    return events


def signal_attachments(signal: Signal) -> QuerySet[Any]:
    return signal.attachments.select_related("uploaded_by").order_by("uploaded_at")


def signal_duplicates(user: Any, signal: Signal) -> list[dict[str, Any]]:
    """Open duplicate candidates in both directions, limited to signals the user can see."""
    visible = signals_visible(user).values("pk")
    rows = (
        DuplicateCandidate.objects.filter(
            Q(signal=signal, other__in=visible) | Q(other=signal, signal__in=visible),
            decision=DuplicateCandidate.Decision.OPEN,
        )
        .select_related("signal", "other", "signal__organisation", "other__organisation")
        .order_by("-score")[:20]
    )
    result = []
    for candidate in rows:
        other = candidate.other if candidate.signal_id == signal.pk else candidate.signal
        result.append({"candidate": candidate, "other": other})
    return result


def merged_signals(user: Any, signal: Signal) -> QuerySet[Signal]:
    return signals_visible(user).filter(merged_into=signal).only("pk", "reference", "title").order_by("pk")


def filter_options(user: Any) -> dict[str, Any]:
    """Choices for the filters and forms, fetched once per request as plain lists."""
    from toezicht.register.models import SupervisionArea
    from toezicht.strategy.models import Theme

    if getattr(user, "sees_all_areas", False):
        areas = SupervisionArea.objects.all()
    else:
        areas = SupervisionArea.objects.filter(users=user)
    return {
        "areas": list(areas.order_by("name").values_list("pk", "name")),
        "themes": list(Theme.objects.order_by("name").values_list("pk", "name")),
        "sources": list(SourceType.objects.order_by("order", "name").values_list("pk", "name")),
        "severities": list(SeverityLevel.objects.order_by("rank").values_list("pk", "name")),
    }


def assignment_options(user: Any) -> dict[str, Any]:
    """Teams and inspectors a signal can be assigned to: those of the user's areas (all for the roles
    that see every area)."""
    from toezicht.accounts.models import Team, User
    from toezicht.accounts.roles import CAPABILITIES

    teams = Team.objects.all()
    people = User.objects.filter(is_active=True, role__in=list(CAPABILITIES["signals.change"]))
    if not getattr(user, "sees_all_areas", False):
        own = user.areas.values("pk")
        teams = teams.filter(area__in=own)
        people = people.filter(areas__in=own).distinct()
    return {
        "teams": list(teams.order_by("name").values_list("pk", "name")),
        "people": [(p.pk, str(p)) for p in people.order_by("last_name", "first_name", "username")[:500]],
    }


# -- organisation page panel ---------------------------------------------------------------------------


def organisation_signal_timeline(
    user: Any, organisation: Any, today: datetime.date | None = None
) -> dict[str, Any]:
    """Counts per month over the last 12 months and the latest 10 visible signals of one organisation."""
    today = today or datetime.date.today()
    first = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    months: list[datetime.date] = []
    cursor = first
    while cursor <= today:
        months.append(cursor)
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    visible = signals_visible(user).filter(organisation=organisation)
    per_month = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row["n"]
        for row in visible.filter(received_on__gte=first)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    counts = [(month, per_month.get(month, 0)) for month in months]
    peak = max((n for _, n in counts), default=0)
    latest = list(visible.select_related("severity", "source").order_by("-received_on", "-id")[:10])
    bar_width, gap, base = 36, 12, 100
    bars = []
    for index, (month, n) in enumerate(counts):
        height = round(80 * n / peak) if peak else 0
        x = index * (bar_width + gap) + gap // 2
        bars.append(
            {
                "month": month,
                "count": n,
                "x": x,
                "y": base - height,
                "height": height,
                "width": bar_width,
                "label_x": x + bar_width // 2,
                "count_y": base - height - 4,
                "show_year": index == 0 or month.month == 1,
            }
        )
    return {
        "months": counts,
        "bars": bars,
        "chart_width": len(bars) * (bar_width + gap),
        "total": sum(n for _, n in counts),
        "latest": latest,
    }


# -- triage suggestions ----------------------------------------------------------------------------------

# The trained helpers are kept per process and rebuilt when the data they learned from changed. A large
# theme model (QUICK_RETRAIN_BELOW examples or more) is rebuilt at most every RETRAIN_AFTER seconds, so a
# busy intake desk does not retrain on every new signal.
RETRAIN_AFTER = 600.0
QUICK_RETRAIN_BELOW = 2_000
TRAINING_LIMIT = 20_000
_cache_lock = threading.Lock()
_cache: dict[str, tuple[Any, float, Any]] = {}  # name -> (stamp, built at, object)


def _cached(name: str, stamp: Any, build: Any, throttle: bool = False) -> Any:
    with _cache_lock:
        entry = _cache.get(name)
    now = time.monotonic()
    if entry is not None and (entry[0] == stamp or (throttle and now - entry[1] < RETRAIN_AFTER)):
        return entry[2]
    built = build()
    with _cache_lock:
        _cache[name] = (stamp, now, built)
    return built


def clear_triage_cache() -> None:
    with _cache_lock:
        _cache.clear()


def organisation_matcher() -> OrganisationMatcher:
    from toezicht.register.models import Organisation

    stamp = tuple(Organisation.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())

    def build() -> OrganisationMatcher:
        rows = Organisation.objects.values_list("pk", "name", "short_name", "code")
        return OrganisationMatcher((pk, name, [a for a in (short,) if a]) for pk, name, short, _code in rows)

    return _cached("organisations", stamp, build)


def _training_stamp() -> tuple[Any, ...]:
    through = Signal.themes.through.objects.aggregate(n=Count("pk"), last=Max("pk"))
    edited = Signal.objects.aggregate(last=Max("updated_at"))
    return (through["n"], through["last"], edited["last"])


def theme_classifier() -> ThemeClassifier:
    """The theme/area classifier, trained on the inspectorate's own triaged signals (those with at least
    one theme; confidential signals are left out), most recent first, at most TRAINING_LIMIT."""
    from toezicht.strategy.models import Theme

    def build() -> ThemeClassifier:
        rows = list(
            Signal.objects.filter(
                pk__in=Signal.themes.through.objects.values("signal_id"),
                merged_into__isnull=True,
            )
            .exclude(confidentiality=Confidentiality.CONFIDENTIAL)
            .order_by("-received_on", "-id")
            .values_list("pk", "title", "description", "area_id")[:TRAINING_LIMIT]
        )
        ids = [row[0] for row in rows]
        names = dict(Theme.objects.values_list("pk", "name"))
        labels: dict[int, list[str]] = {}
        for signal_id, theme_id in Signal.themes.through.objects.filter(signal_id__in=ids).values_list(
            "signal_id", "theme_id"
        ):
            labels.setdefault(signal_id, []).append(names[theme_id])
        return ThemeClassifier().fit(
            [f"{title}\n{description}" for _, title, description, _ in rows],
            [labels.get(pk, []) for pk in ids],
            [str(area) if area else None for *_, area in rows],
        )

    with _cache_lock:
        entry = _cache.get("themes")
    large = entry is not None and getattr(entry[2], "examples", 0) >= QUICK_RETRAIN_BELOW
    return _cached("themes", _training_stamp(), build, throttle=large)


@dataclass(frozen=True)
class TriageView:
    """Suggestions resolved to objects the user may see, for a page."""

    organisations: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    notes: list[str]


def triage_for(user: Any, text: str) -> TriageView:
    """Suggestions for a text; only organisations and areas the user can see are offered."""
    from toezicht.register.models import Organisation, SupervisionArea
    from toezicht.strategy.models import Theme

    text = (text or "").strip()
    if not text:
        return TriageView(
            [], [], [], [gettext("Vul een onderwerp of omschrijving in om suggesties te krijgen.")]
        )
    suggestions: TriageSuggestions = suggest_triage(text, organisation_matcher(), theme_classifier())
    org_ids = [m.organisation_id for m in suggestions.organisations]
    visible_orgs = {
        o.pk: o for o in Organisation.objects.visible_to(user).filter(pk__in=org_ids).only("pk", "name")
    }
    organisations = [
        {
            "object": visible_orgs[m.organisation_id],
            "confidence": m.confidence,
            "explanation": translate_note(m.explanation),
        }
        for m in suggestions.organisations
        if m.organisation_id in visible_orgs
    ]
    area_objects = {str(a.pk): a for a in SupervisionArea.objects.only("pk", "name")}
    areas = [
        {"object": area_objects[s.label], "confidence": s.confidence}
        for s in suggestions.areas
        if s.label in area_objects
    ]
    theme_objects = {t.name: t for t in Theme.objects.only("pk", "name")}
    themes = [
        {"object": theme_objects[s.label], "confidence": s.confidence}
        for s in suggestions.themes
        if s.label in theme_objects and s.confidence >= 0.05
    ]
    # The pure triage module writes Dutch notes; they are translated here, where they are shown.
    return TriageView(organisations, areas, themes, [translate_note(note) for note in suggestions.notes])


def status_choices() -> list[tuple[str, Any]]:  # labels are lazy translations
    return [("open", gettext_lazy("Alle open signalen")), *SignalStatus.choices]


# The columns of a signal export, in order: (key, header). Keys are produced by ``signal_export_rows``.
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("reference", "kenmerk"),
    ("received_on", "ontvangen op"),
    ("title", "onderwerp"),
    ("source", "bron"),
    ("severity", "ernst"),
    ("status", "status"),
    ("organisation_code", "organisatiecode"),
    ("organisation", "organisatie"),
    ("area", "toezichtsgebied"),
    ("themes", "thema's"),
    ("deadline", "afhandelen uiterlijk"),
    ("assigned_team", "team"),
    ("assigned_to", "behandelaar"),
    ("confidentiality", "vertrouwelijkheid"),
    ("merged_into", "samengevoegd met"),
]

# Excel's sheet limit less the header row; larger selections are exported as CSV.
XLSX_EXPORT_LIMIT = 1_048_575
EXPORT_CHUNK = 2_000


def _name(related: Any) -> str:
    return related.name if related is not None else ""


def signal_export_rows(user: Any, filters: SignalFilter, limit: int | None = None) -> Any:
    """The filtered inbox as plain dicts, streamed in chunks: a few queries per 2,000 signals (the themes
    are prefetched per chunk), so exporting a million signals neither loads them all nor runs N+1."""
    status_labels = dict(SignalStatus.choices)
    confidentiality_labels = dict(Confidentiality.choices)
    queryset = (
        signal_list(user, filters)
        .select_related("merged_into")
        .prefetch_related("themes")
        .only(
            "reference",
            "received_on",
            "title",
            "status",
            "deadline",
            "confidentiality",
            "source__name",
            "severity__name",
            "organisation__code",
            "organisation__name",
            "area__name",
            "assigned_team__name",
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "merged_into__reference",
        )
    )
    if limit is not None:
        queryset = queryset[:limit]
    for signal in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield {
            "reference": signal.reference,
            "received_on": signal.received_on,
            "title": signal.title,
            "source": _name(signal.source),
            "severity": _name(signal.severity),
            "status": status_labels.get(signal.status, signal.status),
            "organisation_code": signal.organisation.code if signal.organisation else "",
            "organisation": _name(signal.organisation),
            "area": _name(signal.area),
            "themes": ", ".join(sorted(theme.name for theme in signal.themes.all())),
            "deadline": signal.deadline,
            "assigned_team": _name(signal.assigned_team),
            "assigned_to": str(signal.assigned_to or ""),
            "confidentiality": confidentiality_labels.get(signal.confidentiality, signal.confidentiality),
            "merged_into": signal.merged_into.reference if signal.merged_into else "",
        }
