"""The training services (activities/services/trainings.py): who may create trainings,
sessions and attendance, and bad input refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import selectors, services
from activities.models import Training, TrainingSession
from tests.activities.training_helpers import _session, _training


@pytest.mark.parametrize(
    "persona, county, allowed",
    [
        ("editor", None, True),
        ("editor", "county_a1", True),
        ("reviewer", "county_a1", True),
        ("reviewer", None, False),
        ("other_reviewer", "county_a1", False),
        ("other_editor", None, False),
        ("supervisor", "county_a1", False),
        ("head", "county_a1", False),
        ("worker", None, False),
        ("superuser", None, True),
    ],
)
def test_who_may_create_a_training(net, personas, persona, county, allowed):
    training = Training(
        title="培训", city=net.city_a, county=getattr(net, county) if county else None
    )
    if allowed:
        services.training_create(training=training, by=getattr(personas, persona))
        assert Training.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.training_create(training=training, by=getattr(personas, persona))
        assert not Training.objects.exists()


def test_training_county_must_belong_to_its_city(net, personas):
    with pytest.raises(ValidationError) as exc:
        services.training_create(
            training=Training(title="培训", city=net.city_a, county=net.county_b1),
            by=personas.superuser,
        )
    assert "不属于所选的市" in str(exc.value)
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    "hours, message",
    [
        (0, "学时必须大于 0。"),
        (-2, "学时必须大于 0。"),
        (25, "一次课程的学时不能超过 24 小时。"),
        ("abc", "请填写学时"),
        (None, "请填写学时"),
    ],
)
def test_session_hours_out_of_range_are_refused(net, personas, hours, message):
    training = _training(personas.editor, net.city_a)
    with pytest.raises(ValidationError) as exc:
        _session(training, personas.editor, datetime.date(2023, 1, 5), hours)
    assert message in " ".join(exc.value.messages)
    assert not TrainingSession.objects.exists()


def test_session_of_24_hours_is_accepted(net, personas):
    training = _training(personas.editor, net.city_a)
    session = _session(training, personas.editor, datetime.date(2023, 1, 5), 24)
    assert session.hours == 24


def test_session_date_far_ahead_or_long_ago_is_refused(net, personas):
    training = _training(personas.editor, net.city_a)
    today = datetime.date.today()
    with pytest.raises(ValidationError) as exc:
        _session(training, personas.editor, today + datetime.timedelta(days=400), 3)
    assert "日期不能晚于一年以后" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        _session(training, personas.editor, datetime.date(1999, 12, 31), 3)
    assert "日期不能早于 2000年1月1日" in " ".join(exc.value.messages)
    # A session planned within the year ahead is fine.
    _session(training, personas.editor, today + datetime.timedelta(days=300), 3)
    assert TrainingSession.objects.count() == 1


def test_reviewer_cannot_add_session_to_city_training(net, personas):
    training = _training(personas.editor, net.city_a)
    with pytest.raises(PermissionDenied):
        _session(training, personas.reviewer, datetime.date(2023, 1, 5), 3)


def test_attendance_of_worker_outside_the_organisers_area_is_refused(
    county_training, net, personas
):
    _training_, session = county_training
    services.training_attendance_set(
        session=session, workers=[net.worker_a1], by=personas.reviewer
    )
    with pytest.raises(ValidationError) as exc:
        services.training_attendance_set(
            session=session,
            workers=[net.worker_a1b, net.worker_a2],  # a2 is in county A2
            by=personas.reviewer,
        )
    assert "不属于本次培训主办单位的范围" in exc.value.messages[0]
    # Nothing written: the earlier sheet stands.
    assert list(session.attendees.all()) == [net.worker_a1]


def test_attendance_set_replaces_the_sheet(county_training, net, personas):
    _training_, session = county_training
    by = personas.reviewer
    assert services.training_attendance_set(
        session=session, workers=[net.worker_a1, net.worker_a1b], by=by
    ) == (2, 0)
    assert services.training_attendance_set(
        session=session, workers=[net.worker_a1b.pk], by=by
    ) == (0, 1)
    assert list(session.attendees.all()) == [net.worker_a1b]


def test_supervisor_may_not_record_attendance(county_training, net, personas):
    _training_, session = county_training
    with pytest.raises(PermissionDenied):
        services.training_attendance_set(
            session=session, workers=[net.worker_a1], by=personas.supervisor
        )


def test_moving_a_training_away_from_its_attendees_is_refused(series, net, personas):
    training, _sessions, _workers = series
    training.county = net.county_a1  # attendees of A2 would fall outside
    with pytest.raises(ValidationError) as exc:
        services.training_update(training=training, by=personas.editor)
    assert "不能更换主办单位" in str(exc.value)
    assert Training.objects.get(pk=training.pk).county is None


def test_deleting_a_session_removes_its_attendance(series, personas):
    training, (s1, _s2, _s3), _workers = series
    services.training_session_delete(session=s1, by=personas.editor)
    figures = selectors.trainings_with_figures().get(pk=training.pk)
    assert (figures.session_count, figures.total_hours) == (2, 10)
    assert figures.person_times == 5
    assert figures.trainee_count == 4  # w3 attended only the deleted session
