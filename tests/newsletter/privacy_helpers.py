"""Beneficiary files for the privacy-gate tests, opened through the beneficiary
service by a worker of the keeping station."""

import datetime

from beneficiaries.models.files import Beneficiary
from beneficiaries.services.files import beneficiary_create
from core.idcard import make_id_number
from stations import services as station_services
from stations.models import Role
from tests import factories

# Registered in station a1 (city A).
ID_NUMBER = make_id_number("441101", datetime.date(2015, 6, 1), 122)
PHONE = "13812345678"
GUARDIAN_PHONE = "0766-8812345"


def file_beneficiary(by, station, name, **fields):
    beneficiary = Beneficiary(name=name, gender=fields.pop("gender", "女"), **fields)
    return beneficiary_create(beneficiary=beneficiary, station=station, by=by)


def registered(personas, net):
    """A child with a guardian in a1, and someone filed in city B."""
    child = file_beneficiary(
        personas.worker,
        net.a1,
        "王小红",
        id_number=ID_NUMBER,
        phone=PHONE,
        guardian_name="王建国",
        guardian_phone=GUARDIAN_PHONE,
    )
    b_worker = factories.UserFactory(username="b-worker")
    station_services.role_assign(user=b_worker, role=Role.SOCIAL_WORKER, unit=net.b1)
    file_beneficiary(b_worker, net.b1, "乙城人")
    return child
