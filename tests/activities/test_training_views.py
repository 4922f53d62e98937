"""The training pages: figures, creating trainings and sessions, the sign-in
sheet, the hours page, and their pinned query counts."""

import datetime
from decimal import Decimal

import pytest

from activities import services
from activities.models import Training, TrainingAttendance, TrainingSession
from tests import factories
from tests.activities.training_helpers import _session, _training


def _html(response):
    return response.content.decode()


# --- Pages ---------------------------------------------------------------------------


def test_training_page_shows_the_figures(login, personas, series):
    training, _sessions, _workers = series
    response = login(personas.editor).get(f"/staff/trainings/{training.pk}/")
    page = response.context["training"]
    assert (page.session_count, page.total_hours) == (3, 18)
    assert (page.trainee_count, page.person_times) == (5, 8)
    html = _html(response)
    assert "累计培训时长" in html and ">18<" in html
    assert [s.attendee_count for s in response.context["sessions"]] == [3, 2, 3]
    hours = {t["worker__real_name"]: t["hours"] for t in response.context["trainees"]}
    assert hours["甲一社工"] == 18


def test_create_training_and_session_through_the_pages(login, personas, net):
    client = login(personas.reviewer)
    response = client.post(
        "/staff/trainings/new/",
        {
            "title": "甲一区社工培训",
            "organiser": f"county-{net.county_a1.pk}",
            "place": "区民政局",
            "description": "",
            "report": "",
        },
    )
    training = Training.objects.get()
    assert response.status_code == 302
    assert (training.city, training.county) == (net.city_a, net.county_a1)
    response = client.post(
        f"/staff/trainings/{training.pk}/sessions/new/",
        {
            "date": "2023-03-01",
            "topic": "个案工作",
            "teacher": "王老师",
            "hours": "3.5",
        },
    )
    session = TrainingSession.objects.get()
    assert response.url == f"/staff/trainings/sessions/{session.pk}/attendance/"
    assert session.hours == Decimal("3.5")


def test_reviewer_cannot_pick_city_or_other_county_as_organiser(login, personas, net):
    client = login(personas.reviewer)
    for organiser in (f"city-{net.city_a.pk}", f"county-{net.county_a2.pk}", "x"):
        response = client.post(
            "/staff/trainings/new/", {"title": "培训", "organiser": organiser}
        )
        assert response.status_code == 200
        assert "选择一个有效的选项" in _html(response)
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    "hours, message",
    [
        ("0", "学时必须大于 0。"),
        ("25", "一次课程的学时不能超过 24 小时。"),
        ("1.25", "学时最多保留 1 位小数"),
        ("abc", "请填写学时，例如 3 或 1.5。"),
        ("", "请填写学时。"),
        ("99999", "一次课程的学时不能超过 24 小时。"),
        ("NaN", "请填写学时"),
        ("Infinity", "请填写学时"),
    ],
)
def test_bad_session_hours_on_the_page_change_nothing(
    login, personas, county_training, hours, message
):
    training, _session_ = county_training
    response = login(personas.reviewer).post(
        f"/staff/trainings/{training.pk}/sessions/new/",
        {"date": "2023-03-02", "topic": "督导", "hours": hours},
    )
    assert response.status_code == 200
    assert message in _html(response)
    assert training.sessions.count() == 1


def test_bad_session_date_on_the_page(login, personas, county_training):
    training, _session_ = county_training
    for date, message in [
        ("2999-01-01", "日期不能晚于一年以后"),
        ("2023-13-01", "请按“年-月-日”填写日期"),
        ("", "请填写课程日期。"),
    ]:
        response = login(personas.reviewer).post(
            f"/staff/trainings/{training.pk}/sessions/new/",
            {"date": date, "topic": "督导", "hours": "2"},
        )
        assert response.status_code == 200
        assert message in _html(response)
    assert training.sessions.count() == 1


def test_session_edit_checks_hours(login, personas, county_training):
    _training_, session = county_training
    response = login(personas.reviewer).post(
        f"/staff/trainings/sessions/{session.pk}/edit/",
        {"date": "2023-03-01", "topic": "改", "hours": "30"},
    )
    assert "不能超过 24 小时" in _html(response)
    session.refresh_from_db()
    assert (session.topic, session.hours) == ("社会工作原理", 3)


def test_attendance_page_lists_the_organisers_workers(
    login, personas, county_training, net
):
    _training_, session = county_training
    response = login(personas.reviewer).get(
        f"/staff/trainings/sessions/{session.pk}/attendance/"
    )
    names = {w.real_name for w in response.context["form"].fields["workers"].queryset}
    assert names == {"甲一社工", "西镇社工"}  # county A1 only
    assert {s.pk for s in response.context["stations"]} == {net.a1.pk, net.a1b.pk}


def test_attendance_page_saves_the_sheet(login, personas, county_training, net):
    training, session = county_training
    response = login(personas.reviewer).post(
        f"/staff/trainings/sessions/{session.pk}/attendance/",
        {"workers": [net.worker_a1.pk, net.worker_a1b.pk]},
    )
    assert response.status_code == 302
    assert response.url == f"/staff/trainings/{training.pk}/"
    assert set(session.attendees.all()) == {net.worker_a1, net.worker_a1b}


def test_posting_a_worker_outside_scope_writes_nothing(
    login, personas, county_training, net
):
    _training_, session = county_training
    client = login(personas.reviewer)
    for outsider in (net.worker_a2, net.worker_b1):
        response = client.post(
            f"/staff/trainings/sessions/{session.pk}/attendance/",
            {"workers": [net.worker_a1.pk, outsider.pk]},
        )
        assert response.status_code == 200
        assert "不是本次培训可选的社工" in _html(response)
    response = client.post(
        f"/staff/trainings/sessions/{session.pk}/attendance/", {"workers": ["x"]}
    )
    assert response.status_code == 200
    assert not TrainingAttendance.objects.exists()


def test_station_filter_keeps_other_stations_attendance(
    login, personas, county_training, net
):
    _training_, session = county_training
    client = login(personas.reviewer)
    client.post(
        f"/staff/trainings/sessions/{session.pk}/attendance/",
        {"workers": [net.worker_a1.pk, net.worker_a1b.pk]},
    )
    response = client.get(
        f"/staff/trainings/sessions/{session.pk}/attendance/?station={net.a1.pk}"
    )
    assert [
        w.real_name for w in response.context["form"].fields["workers"].queryset
    ] == ["甲一社工"]
    # Untick a1's only worker while filtered to a1: a1b's sign-in stays.
    client.post(
        f"/staff/trainings/sessions/{session.pk}/attendance/",
        {"station": net.a1.pk},
    )
    assert list(session.attendees.all()) == [net.worker_a1b]
    # While filtered to a1, a1b's worker cannot be posted.
    response = client.post(
        f"/staff/trainings/sessions/{session.pk}/attendance/",
        {"station": net.a1.pk, "workers": [net.worker_a1b.pk]},
    )
    assert response.status_code == 200


def test_odd_station_filter_is_ignored(login, personas, county_training, net):
    _training_, session = county_training
    client = login(personas.reviewer)
    for value in ("abc", "²", "99999999999999999999999", str(net.b1.pk)):
        response = client.get(
            f"/staff/trainings/sessions/{session.pk}/attendance/?station={value}"
        )
        assert response.status_code == 200
        assert response.context["station"] is None


def test_hours_page_shows_workers_by_year(login, personas, series, net):
    response = login(personas.editor).get("/staff/trainings/hours/")
    assert response.context["columns"] == [2023, 2022]
    rows = {r.worker.real_name: (r.hours, r.total) for r in response.context["rows"]}
    assert rows["甲一社工"] == ([4, 14], 18)
    assert rows["甲二社工"] == ([None, 8], 8)
    assert "乙一社工" not in rows  # city B
    response = login(personas.editor).get("/staff/trainings/hours/?year=2022")
    rows = {r.worker.real_name: r.hours for r in response.context["rows"]}
    assert response.context["columns"] == [2022]
    assert rows["甲一社工"] == [14]
    assert rows["甲二二号"] == [None]


def test_hours_page_for_one_worker_and_odd_filters(login, personas, series, net):
    client = login(personas.editor)
    response = client.get(f"/staff/trainings/hours/?worker={net.worker_a1.pk}")
    assert [r.worker for r in response.context["rows"]] == [net.worker_a1]
    for query in ("year=abc", "year=1900", "station=x", "worker=²", "page=999"):
        response = client.get(f"/staff/trainings/hours/?{query}")
        assert response.status_code == 200
    # A worker out of scope is simply not in the table.
    response = client.get(f"/staff/trainings/hours/?worker={net.worker_b1.pk}")
    assert list(response.context["rows"]) == []


@pytest.mark.parametrize(
    "persona, names",
    [
        ("worker", {"甲一社工", "甲一二号"}),
        ("reviewer", {"甲一社工", "甲一二号", "西镇社工"}),
        ("supervisor", {"甲一社工", "甲一二号", "西镇社工"}),
        ("other_editor", {"乙一社工"}),
    ],
)
def test_hours_page_follows_the_users_scope(login, personas, series, persona, names):
    response = login(getattr(personas, persona)).get("/staff/trainings/hours/")
    assert {r.worker.real_name for r in response.context["rows"]} == names


# --- Query counts --------------------------------------------------------------------


def _grow(net, personas, n):
    """n more trainings in city A, each with two sessions and three attendees."""
    for i in range(n):
        training = _training(personas.editor, net.city_a, title=f"培训{i}")
        for day in (1, 2):
            session = _session(
                training, personas.editor, datetime.date(2023, 4, day), 2
            )
            workers = [factories.SocialWorkerFactory(station=net.a1) for _ in range(3)]
            services.training_attendance_set(
                session=session, workers=workers, by=personas.editor
            )


def test_training_list_query_count_is_fixed(
    login, personas, net, series, django_assert_num_queries
):
    client = login(personas.editor)
    # 5 = session + user + scope + the paginator's COUNT + the page of trainings
    # with organiser joined and every figure as a subquery (one query).
    with django_assert_num_queries(5):
        response = client.get("/staff/trainings/")
    assert len(response.context["page"]) == 1
    _grow(net, personas, 10)
    with django_assert_num_queries(5):
        response = client.get("/staff/trainings/")
    assert len(response.context["page"]) == 11


def test_training_page_query_count_is_fixed(
    login, personas, net, series, django_assert_num_queries
):
    training, sessions, _workers = series
    client = login(personas.editor)
    # 6 = session + user + scope + the training with its organiser, report and
    # figures (subqueries) + sessions with their sign-in counts + trainees with
    # their hours (one grouped query).
    with django_assert_num_queries(6):
        client.get(f"/staff/trainings/{training.pk}/")
    for _i in range(10):
        session = _session(training, personas.editor, datetime.date(2023, 2, 11), 1)
        services.training_attendance_set(
            session=session,
            workers=[factories.SocialWorkerFactory(station=net.a2) for _ in range(3)],
            by=personas.editor,
        )
    with django_assert_num_queries(6):
        response = client.get(f"/staff/trainings/{training.pk}/")
    assert response.context["training"].session_count == 13


def test_hours_page_query_count_is_fixed(
    login, personas, net, series, django_assert_num_queries
):
    client = login(personas.editor)
    # 8 = session + user + scope + the stations for the filter + the years with
    # attendance + the paginator's COUNT + the page of workers with their place
    # + the hours of those workers by year (one grouped query).
    with django_assert_num_queries(8):
        response = client.get("/staff/trainings/hours/")
    assert len(response.context["rows"]) == 5
    _grow(net, personas, 5)
    with django_assert_num_queries(8):
        response = client.get("/staff/trainings/hours/")
    assert len(response.context["rows"]) == 35
