"""factory_boy factories for the foundation models, used by tests and by nothing at run time."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from toezicht.accounts.models import Team, User
from toezicht.accounts.roles import Role
from toezicht.register.models import (
    Chain,
    ChainMembership,
    Organisation,
    OrganisationType,
    Relationship,
    RelationshipKind,
    SupervisionArea,
)
from toezicht.signals.models import Confidentiality, SeverityLevel, Signal, SignalStatus, SourceType
from toezicht.strategy.models import Goal, StrategicPeriod, Theme

TEST_PASSWORD = "een-lang-testwachtwoord-2026"


class SupervisionAreaFactory(DjangoModelFactory[SupervisionArea]):
    class Meta:
        model = SupervisionArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"gebied-{n}")
    name = factory.Sequence(lambda n: f"Toezichtgebied {n}")


class OrganisationTypeFactory(DjangoModelFactory[OrganisationType]):
    class Meta:
        model = OrganisationType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Organisatietype {n}")

    class Params:
        governance = factory.Trait(code="ministerie", name="Ministerieonderdeel", is_governance_body=True)


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"org-{n:05d}")
    name = factory.Sequence(lambda n: f"Organisatie {n:05d}")
    type = factory.SubFactory(OrganisationTypeFactory)
    municipality = "Utrecht"

    class Params:
        inactive = factory.Trait(
            active_from=factory.Faker("date_between", start_date="-10y", end_date="-5y"),
            active_until=factory.Faker("date_between", start_date="-4y", end_date="-1y"),
        )

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


class ChainFactory(DjangoModelFactory[Chain]):
    class Meta:
        model = Chain
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"keten-{n}")
    name = factory.Sequence(lambda n: f"Keten {n}")

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


class ChainMembershipFactory(DjangoModelFactory[ChainMembership]):
    class Meta:
        model = ChainMembership

    chain = factory.SubFactory(ChainFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "uitvoering"


class RelationshipFactory(DjangoModelFactory[Relationship]):
    class Meta:
        model = Relationship

    kind = RelationshipKind.PRINCIPAL
    source = factory.SubFactory(
        OrganisationFactory, type=factory.SubFactory(OrganisationTypeFactory, governance=True)
    )
    target = factory.SubFactory(OrganisationFactory)


class StrategicPeriodFactory(DjangoModelFactory[StrategicPeriod]):
    class Meta:
        model = StrategicPeriod

    name = factory.Sequence(lambda n: f"Meerjarenperspectief {n}")
    start_year = 2025
    end_year = 2028


class GoalFactory(DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    period = factory.SubFactory(StrategicPeriodFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Doel {n}")


class ThemeFactory(DjangoModelFactory[Theme]):
    class Meta:
        model = Theme

    code = factory.Sequence(lambda n: f"thema-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    role = Role.INSPECTOR
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    area = factory.SubFactory(SupervisionAreaFactory)


class SignalFactory(DjangoModelFactory[Signal]):
    """A signal received today about an organisation in its first area; traits set the lifecycle."""

    class Meta:
        model = Signal
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"S-T-{n:06d}")
    title = factory.Sequence(lambda n: f"Melding {n}")
    description = "Een gedetineerde is gewond geraakt tijdens een incident op de afdeling."
    source = factory.LazyFunction(lambda: SourceType.objects.get(code="incident_notification"))
    severity = factory.LazyFunction(lambda: SeverityLevel.objects.get(code="midden"))
    received_on = factory.LazyFunction(datetime.date.today)
    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.LazyAttribute(lambda s: s.organisation.areas.first() if s.organisation else None)
    deadline = factory.LazyAttribute(lambda s: s.received_on + datetime.timedelta(days=14))
    confidentiality = Confidentiality.INTERNAL

    class Params:
        confidential = factory.Trait(confidentiality=Confidentiality.CONFIDENTIAL)
        overdue = factory.Trait(
            received_on=factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=60))
        )
        closed = factory.Trait(status=SignalStatus.CLOSED)

    @factory.post_generation
    def themes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.themes.set(extracted)
