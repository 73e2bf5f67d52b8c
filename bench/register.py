"""Benchmark: the organisation list page on the large register (5,000 organisations).

Run: .venv/bin/python bench/register.py [--database sqlite|postgres]
Prints one JSON line with the median server time and the number of queries per page view.
"""

from __future__ import annotations

from _common import emit, median, parse_args, setup_django, timed


def main() -> None:
    args = parse_args(__doc__ or "")
    setup_django(args, "register")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from toezicht.accounts.models import User
    from toezicht.register.models import Organisation, OrganisationType, SupervisionArea

    areas = list(SupervisionArea.objects.order_by("code")[:2])
    user, _ = User.objects.get_or_create(username="bench-inspecteur", defaults={"role": "inspecteur"})
    user.areas.set(areas)
    client = Client()
    client.force_login(user)
    kind = OrganisationType.objects.get(code="pi")
    views = [
        {},
        {"q": "Utrecht"},
        {"type": kind.pk},
        {"gebied": areas[0].pk, "sorteer": "-gemeente"},
        {"page": 40},
        {"status": "actief", "sorteer": "type"},
    ]

    def request(params: dict[str, object]) -> None:
        response = client.get("/register/organisaties/", params)
        assert response.status_code == 200, response.status_code

    for params in views:  # warm up caches and connections
        request(params)
    durations: list[float] = []
    for params in views:
        durations += timed(lambda p=params: request(p), repeat=15)
    with CaptureQueriesContext(connection) as ctx:
        request({})
    emit(
        {
            "benchmark": "register",
            "database": args.database,
            "organisations": Organisation.objects.count(),
            "list_median_ms": median(durations),
            "list_p95_ms": round(sorted(durations)[int(len(durations) * 0.95)], 2),
            "list_queries": len(ctx.captured_queries),
        }
    )


if __name__ == "__main__":
    main()
