"""factory_boy factories: one per model, known password, traits for states."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from scopegrowth.models import CoachLink, Directorate, ManagerLink, Organisation, Team, User

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Trust {n} NHS Foundation Trust")


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Directorate {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    directorate = factory.SubFactory(DirectorateFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = factory.Faker("job", locale="en_GB")
    team = factory.SubFactory(TeamFactory)
    organisation = factory.LazyAttribute(
        lambda o: o.team.directorate.organisation if o.team else None
    )

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    class Params:
        hr = factory.Trait(is_hr=True, team=None)
        admin = factory.Trait(is_staff=True, is_superuser=True, team=None)
        inactive = factory.Trait(is_active=False)


class ManagerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagerLink

    manager = factory.SubFactory(UserFactory)
    report = factory.SubFactory(UserFactory)


class CoachLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachLink

    coach = factory.SubFactory(UserFactory)
    coachee = factory.SubFactory(UserFactory)
