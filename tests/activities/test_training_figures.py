"""Training figures (activities/selectors/trainings.py): computed from sessions
and attendance, and hours per worker per year."""

import datetime
from decimal import Decimal

from activities import selectors, services
from activities.models import TrainingAttendance
from tests import factories
from tests.activities.training_helpers import _session, _training


def test_training_figures_are_computed_from_sessions_and_attendance(series):
    training, _sessions, _workers = series
    figures = selectors.trainings_with_figures().get(pk=training.pk)
    assert figures.session_count == 3
    assert figures.total_hours == Decimal(18)
    assert figures.trainee_count == 5  # distinct workers, not sign-ins
    assert figures.person_times == 8 == TrainingAttendance.objects.count()
    assert figures.first_date == datetime.date(2022, 12, 5)
    assert figures.last_date == datetime.date(2023, 2, 10)


def test_training_figures_of_an_empty_training_are_zero(net, personas):
    training = _training(personas.editor, net.city_a)
    figures = selectors.trainings_with_figures().get(pk=training.pk)
    assert (figures.session_count, figures.total_hours) == (0, 0)
    assert (figures.trainee_count, figures.person_times) == (0, 0)


def test_figures_of_one_training_ignore_another(series, net, personas):
    training, _sessions, (w1, *_rest) = series
    other = _training(personas.editor, net.city_a, title="另一培训")
    session = _session(other, personas.editor, datetime.date(2023, 5, 1), 7)
    services.training_attendance_set(session=session, workers=[w1], by=personas.editor)
    rows = {t.pk: t for t in selectors.trainings_with_figures()}
    assert rows[training.pk].total_hours == 18
    assert rows[training.pk].person_times == 8
    assert rows[other.pk].total_hours == 7
    assert rows[other.pk].trainee_count == 1


def test_hours_per_worker_per_year(series, net, personas):
    _training_, _sessions, (w1, w2, w3, w4, w5) = series
    table = selectors.hours_by_worker_year([w.pk for w in (w1, w2, w3, w4, w5)])
    assert table == {
        (w1.pk, 2022): 14,
        (w1.pk, 2023): 4,
        (w2.pk, 2022): 8,
        (w2.pk, 2023): 4,
        (w3.pk, 2022): 8,
        (w4.pk, 2022): 6,
        (w5.pk, 2023): 4,
    }
    assert selectors.hours_by_worker_year([w1.pk], year=2023) == {(w1.pk, 2023): 4}
    assert selectors.worker_training_hours(w1) == [(2023, 4), (2022, 14)]


def test_hours_of_a_year_add_up_across_trainings(series, net, personas):
    _training_, _sessions, (w1, *_rest) = series
    county = _training(personas.reviewer, net.city_a, net.county_a1, "甲一区培训")
    session = _session(county, personas.reviewer, datetime.date(2023, 6, 1), 2.5)
    services.training_attendance_set(
        session=session, workers=[w1], by=personas.reviewer
    )
    assert dict(selectors.worker_training_hours(w1)) == {
        2022: 14,
        2023: Decimal("6.5"),
    }


def test_training_years_are_those_the_workers_attended(series, net):
    _training_, _sessions, (w1, _w2, _w3, w4, _w5) = series
    assert selectors.training_years(
        factories.SocialWorkerFactory._meta.model.objects.all()
    ) == [2023, 2022]
    only_w4 = factories.SocialWorkerFactory._meta.model.objects.filter(pk=w4.pk)
    assert selectors.training_years(only_w4) == [2022]
