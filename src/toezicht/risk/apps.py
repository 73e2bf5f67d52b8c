from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_signal_created(*, signal_id: int, **_: Any) -> None:
    from toezicht.core.tasks import enqueue

    enqueue("toezicht.risk.tasks.signals_added", signal_ids=[signal_id])


def _on_signals_imported(**payload: Any) -> None:
    from toezicht.core.tasks import enqueue

    enqueue(
        "toezicht.risk.tasks.signals_imported",
        batch_id=payload.get("batch_id"),
        signal_ids=list(payload.get("signal_ids") or []),
    )


def _on_observations_imported(*, observation_ids: list[int] | None = None, **_: Any) -> None:
    from toezicht.core.tasks import enqueue

    enqueue("toezicht.risk.tasks.observations_added", observation_ids=list(observation_ids or []))


class RiskConfig(AppConfig):
    name = "toezicht.risk"
    label = "risk"
    verbose_name = _("Risicobeeld")

    def ready(self) -> None:
        from toezicht.core import events

        events.subscribe("signal.created", _on_signal_created)
        events.subscribe("signals.imported", _on_signals_imported)
        events.subscribe("observations.imported", _on_observations_imported)
        try:
            from toezicht.risk import panels
        except ImportError:  # pragma: no cover - panels are added with the pages
            return
        panels.register()
