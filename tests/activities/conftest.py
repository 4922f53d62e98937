"""Fixtures shared by the activities test modules (reports, photos, trainings, the
workflow), built through services."""

import datetime

import pytest

from activities import services
from tests import factories
from tests.activities.training_helpers import _session, _training


@pytest.fixture
def draft(personas, net, make_report):
    return make_report(personas.worker, net.a1)


# Villages for the report pages; test_project_progress.py has its own fourteen.
@pytest.fixture
def villages(net):
    return {
        "dongcun": factories.VillageFactory(town=net.a1.town, name="东村"),
        "beicun": factories.VillageFactory(town=net.a1.town, name="北村"),
        "xicun": factories.VillageFactory(town=net.a1b.town, name="西村"),
        "nancun": factories.VillageFactory(town=net.a2.town, name="南村"),
    }


@pytest.fixture
def reports(net, personas, make_report):
    """A report of each level in city A, one of another county and one of city B."""
    return {
        "a1": make_report(
            personas.worker,
            net.a1,
            status="approved",
            reviewer=personas.reviewer,
            title="东镇关爱活动",
        ),
        "a1_draft": make_report(personas.worker, net.a1, title="东镇草稿"),
        "county_a1": make_report(
            personas.reviewer, net.county_a1, status="submitted", title="甲一区会议"
        ),
        "a2": make_report(personas.other_worker, net.a2, title="南镇宣传"),
        "city_a": make_report(personas.editor, net.city_a, title="甲市培训"),
        "city_b": make_report(personas.other_editor, net.city_b, title="乙市培训"),
    }


@pytest.fixture
def series(net, personas):
    """The seed's city training series, scaled down: three sessions of 8, 6 and 4
    hours over two years; five workers of city A attend different sessions."""
    editor = personas.editor
    extra1 = factories.SocialWorkerFactory(station=net.a1, real_name="甲一二号")
    extra2 = factories.SocialWorkerFactory(station=net.a2, real_name="甲二二号")
    w1, w2, w3, w4, w5 = net.worker_a1, net.worker_a1b, net.worker_a2, extra1, extra2
    training = _training(editor, net.city_a)
    s1 = _session(training, editor, datetime.date(2022, 12, 5), 8, "岗前培训")
    s2 = _session(training, editor, datetime.date(2022, 12, 20), 6, "社区社会工作")
    s3 = _session(training, editor, datetime.date(2023, 2, 10), 4, "个案救助")
    services.training_attendance_set(session=s1, workers=[w1, w2, w3], by=editor)
    services.training_attendance_set(session=s2, workers=[w1, w4], by=editor)
    services.training_attendance_set(session=s3, workers=[w1, w2, w5], by=editor)
    return training, (s1, s2, s3), (w1, w2, w3, w4, w5)


@pytest.fixture
def county_training(net, personas):
    """A training of county A1's bureau, with one session."""
    training = _training(personas.reviewer, net.city_a, net.county_a1, "甲一区培训")
    session = _session(training, personas.reviewer, datetime.date(2023, 3, 1), 3)
    return training, session


@pytest.fixture
def report_at(net, personas, make_report):
    """report_at(level, status): a report filed by the unit's own filer (a1's worker,
    A1's reviewer as the county bureau, A's editor as the city bureau)."""
    filers = {
        "station": (personas.worker, net.a1, personas.reviewer),
        "county": (personas.reviewer, net.county_a1, personas.editor),
        "city": (personas.editor, net.city_a, personas.editor),
    }

    def _at(level, status):
        by, unit, decider = filers[level]
        return make_report(by, unit, status=status, reviewer=decider)

    return _at
