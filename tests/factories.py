"""factory_boy factories for the org network. Tests build workflow state through
services; these make the reference rows those services stand on."""

import datetime

import factory
from django.contrib.auth import get_user_model

from stations.models import (
    City,
    County,
    ServicePoint,
    SocialWorker,
    Station,
    Town,
    Village,
)


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}市")
    code = factory.Sequence(lambda n: f"{440100 + n * 100:06d}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"测试{n}区")
    code = factory.Sequence(lambda n: f"{460000 + n:06d}")
    kind = County.Kind.DISTRICT
    short_name = factory.Sequence(lambda n: f"测{n}")
    display_order = factory.Sequence(lambda n: n)


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")
    kind = Town.Kind.TOWN
    display_order = factory.Sequence(lambda n: n)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"测试{n}村")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    town = factory.SubFactory(TownFactory)
    opened_on = datetime.date(2021, 6, 1)


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    station = factory.SubFactory(StationFactory)
    village = factory.LazyAttribute(lambda o: VillageFactory(town=o.station.town))
    name = factory.Sequence(lambda n: f"测试{n}服务点")


class SocialWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialWorker

    station = factory.SubFactory(StationFactory)
    real_name = factory.Sequence(lambda n: f"社工{n}")
    gender = SocialWorker.Gender.FEMALE
    post_type = SocialWorker.PostType.SERVICE
    qualification = SocialWorker.Qualification.NONE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")
