"""Trainings (activities/trainings.py and its pages): the seed's city training
series scaled down, figures computed from attendance, hours per worker per year,
the sign-in sheet, bad input, who may use each page, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import trainings
from activities.models import Training, TrainingAttendance, TrainingSession
from tests import factories

ROLE_PERSONAS = [
    "worker",
    "head",
    "other_worker",
    "supervisor",
    "reviewer",
    "other_reviewer",
    "editor",
    "other_editor",
    "superuser",
]
CITY_TRAINING_READERS = {"editor", "superuser"}
COUNTY_TRAINING_READERS = {"supervisor", "reviewer", "editor", "superuser"}
COUNTY_TRAINING_MANAGERS = {"reviewer", "editor", "superuser"}


def _html(response):
    return response.content.decode()


def _training(by, city, county=None, title="2022年度“双百工程”系列培训"):
    return trainings.training_create(
        training=Training(title=title, city=city, county=county, place="云浮市委党校"),
        by=by,
    )


def _session(training, by, date, hours, topic="社会工作原理"):
    return trainings.training_session_add(
        training=training, by=by, date=date, topic=topic, hours=hours
    )


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
    trainings.training_attendance_set(session=s1, workers=[w1, w2, w3], by=editor)
    trainings.training_attendance_set(session=s2, workers=[w1, w4], by=editor)
    trainings.training_attendance_set(session=s3, workers=[w1, w2, w5], by=editor)
    return training, (s1, s2, s3), (w1, w2, w3, w4, w5)


@pytest.fixture
def county_training(net, personas):
    """A training of county A1's bureau, with one session."""
    training = _training(personas.reviewer, net.city_a, net.county_a1, "甲一区培训")
    session = _session(training, personas.reviewer, datetime.date(2023, 3, 1), 3)
    return training, session


# --- Figures -----------------------------------------------------------------------


def test_training_figures_are_computed_from_sessions_and_attendance(series):
    training, _sessions, _workers = series
    figures = trainings.trainings_with_figures().get(pk=training.pk)
    assert figures.session_count == 3
    assert figures.total_hours == Decimal(18)
    assert figures.trainee_count == 5  # distinct workers, not sign-ins
    assert figures.person_times == 8 == TrainingAttendance.objects.count()
    assert figures.first_date == datetime.date(2022, 12, 5)
    assert figures.last_date == datetime.date(2023, 2, 10)


def test_training_figures_of_an_empty_training_are_zero(net, personas):
    training = _training(personas.editor, net.city_a)
    figures = trainings.trainings_with_figures().get(pk=training.pk)
    assert (figures.session_count, figures.total_hours) == (0, 0)
    assert (figures.trainee_count, figures.person_times) == (0, 0)


def test_figures_of_one_training_ignore_another(series, net, personas):
    training, _sessions, (w1, *_rest) = series
    other = _training(personas.editor, net.city_a, title="另一培训")
    session = _session(other, personas.editor, datetime.date(2023, 5, 1), 7)
    trainings.training_attendance_set(session=session, workers=[w1], by=personas.editor)
    rows = {t.pk: t for t in trainings.trainings_with_figures()}
    assert rows[training.pk].total_hours == 18
    assert rows[training.pk].person_times == 8
    assert rows[other.pk].total_hours == 7
    assert rows[other.pk].trainee_count == 1


def test_hours_per_worker_per_year(series, net, personas):
    _training_, _sessions, (w1, w2, w3, w4, w5) = series
    table = trainings.hours_by_worker_year([w.pk for w in (w1, w2, w3, w4, w5)])
    assert table == {
        (w1.pk, 2022): 14,
        (w1.pk, 2023): 4,
        (w2.pk, 2022): 8,
        (w2.pk, 2023): 4,
        (w3.pk, 2022): 8,
        (w4.pk, 2022): 6,
        (w5.pk, 2023): 4,
    }
    assert trainings.hours_by_worker_year([w1.pk], year=2023) == {(w1.pk, 2023): 4}
    assert trainings.worker_training_hours(w1) == [(2023, 4), (2022, 14)]


def test_hours_of_a_year_add_up_across_trainings(series, net, personas):
    _training_, _sessions, (w1, *_rest) = series
    county = _training(personas.reviewer, net.city_a, net.county_a1, "甲一区培训")
    session = _session(county, personas.reviewer, datetime.date(2023, 6, 1), 2.5)
    trainings.training_attendance_set(
        session=session, workers=[w1], by=personas.reviewer
    )
    assert dict(trainings.worker_training_hours(w1)) == {
        2022: 14,
        2023: Decimal("6.5"),
    }


def test_training_years_are_those_the_workers_attended(series, net):
    _training_, _sessions, (w1, _w2, _w3, w4, _w5) = series
    assert trainings.training_years(
        factories.SocialWorkerFactory._meta.model.objects.all()
    ) == [2023, 2022]
    only_w4 = factories.SocialWorkerFactory._meta.model.objects.filter(pk=w4.pk)
    assert trainings.training_years(only_w4) == [2022]


# --- Services: permission and bad input ----------------------------------------------


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
        trainings.training_create(training=training, by=getattr(personas, persona))
        assert Training.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            trainings.training_create(training=training, by=getattr(personas, persona))
        assert not Training.objects.exists()


def test_training_county_must_belong_to_its_city(net, personas):
    with pytest.raises(ValidationError) as exc:
        trainings.training_create(
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
    assert "不能晚于今天一年以上" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        _session(training, personas.editor, datetime.date(1999, 12, 31), 3)
    assert "不能早于 2000 年" in " ".join(exc.value.messages)
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
    trainings.training_attendance_set(
        session=session, workers=[net.worker_a1], by=personas.reviewer
    )
    with pytest.raises(ValidationError) as exc:
        trainings.training_attendance_set(
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
    assert trainings.training_attendance_set(
        session=session, workers=[net.worker_a1, net.worker_a1b], by=by
    ) == (2, 0)
    assert trainings.training_attendance_set(
        session=session, workers=[net.worker_a1b.pk], by=by
    ) == (0, 1)
    assert list(session.attendees.all()) == [net.worker_a1b]


def test_supervisor_may_not_record_attendance(county_training, net, personas):
    _training_, session = county_training
    with pytest.raises(PermissionDenied):
        trainings.training_attendance_set(
            session=session, workers=[net.worker_a1], by=personas.supervisor
        )


def test_moving_a_training_away_from_its_attendees_is_refused(series, net, personas):
    training, _sessions, _workers = series
    training.county = net.county_a1  # attendees of A2 would fall outside
    with pytest.raises(ValidationError) as exc:
        trainings.training_update(training=training, by=personas.editor)
    assert "不能更换主办单位" in str(exc.value)
    assert Training.objects.get(pk=training.pk).county is None


def test_deleting_a_session_removes_its_attendance(series, personas):
    training, (s1, _s2, _s3), _workers = series
    trainings.training_session_delete(session=s1, by=personas.editor)
    figures = trainings.trainings_with_figures().get(pk=training.pk)
    assert (figures.session_count, figures.total_hours) == (2, 10)
    assert figures.person_times == 5
    assert figures.trainee_count == 4  # w3 attended only the deleted session


# --- Who gets in ---------------------------------------------------------------------


def _county_pages(training, session):
    return {
        "training_edit": (f"/staff/trainings/{training.pk}/edit/", "get"),
        "session_new": (f"/staff/trainings/{training.pk}/sessions/new/", "get"),
        "session_edit": (f"/staff/trainings/sessions/{session.pk}/edit/", "get"),
        "attendance": (f"/staff/trainings/sessions/{session.pk}/attendance/", "get"),
        "session_delete": (f"/staff/trainings/sessions/{session.pk}/delete/", "post"),
    }


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_county_training_page_is_404_outside_scope(
    login, personas, county_training, persona
):
    training, _session_ = county_training
    response = login(getattr(personas, persona)).get(f"/staff/trainings/{training.pk}/")
    assert response.status_code == (200 if persona in COUNTY_TRAINING_READERS else 404)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_city_training_page_is_404_outside_scope(login, personas, series, persona):
    training, _sessions, _workers = series
    response = login(getattr(personas, persona)).get(f"/staff/trainings/{training.pk}/")
    assert response.status_code == (200 if persona in CITY_TRAINING_READERS else 404)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize(
    "page",
    ["training_edit", "session_new", "session_edit", "attendance", "session_delete"],
)
def test_training_edit_pages_are_for_managers_only(
    login, personas, county_training, page, persona
):
    training, session = county_training
    url, method = _county_pages(training, session)[page]
    response = getattr(login(getattr(personas, persona)), method)(url)
    if persona in COUNTY_TRAINING_MANAGERS:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_new_training_page_is_for_editors_and_reviewers(login, personas, persona):
    response = login(getattr(personas, persona)).get("/staff/trainings/new/")
    organisers = {"reviewer", "other_reviewer", "editor", "other_editor", "superuser"}
    assert response.status_code == (200 if persona in organisers else 403)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("url", ["/staff/trainings/", "/staff/trainings/hours/"])
def test_lists_open_to_every_role(login, personas, persona, url):
    assert login(getattr(personas, persona)).get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/staff/trainings/",
        "/staff/trainings/hours/",
        "/staff/trainings/new/",
        "/staff/trainings/1/",
    ],
)
def test_user_without_role_gets_403_and_anonymous_goes_to_login(
    login, client, personas, url
):
    assert client.get(url).status_code == 302
    assert login(personas.nobody).get(url).status_code == 403


@pytest.mark.parametrize(
    "persona, titles",
    [
        ("editor", {"2022年度“双百工程”系列培训", "甲一区培训"}),
        ("reviewer", {"甲一区培训"}),
        ("supervisor", {"甲一区培训"}),
        ("other_reviewer", set()),
        ("worker", set()),
        ("other_editor", {"乙市培训"}),
    ],
)
def test_training_list_shows_only_visible_trainings(
    login, personas, net, series, county_training, persona, titles
):
    _training(personas.other_editor, net.city_b, title="乙市培训")
    response = login(getattr(personas, persona)).get("/staff/trainings/")
    assert {t.title for t in response.context["page"]} == titles


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
        ("2999-01-01", "不能晚于今天一年以上"),
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
            trainings.training_attendance_set(
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
        trainings.training_attendance_set(
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
