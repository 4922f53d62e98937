"""Filing a report with its photos in one form: the photos are judged like on the
photo page and stored with the report or not at all; the form preselects what
is known (today, the worker's own town); a form sent twice files one report."""

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from activities import selectors, services
from activities.forms.photos import ReportPhotosForm
from activities.models import ActivityReport, Partner, ReportPhoto
from stations import services as station_services
from stations.models import Role
from tests import factories
from tests.activities.photo_helpers import gps_photo, jpeg, media_files, upload

NEW = "/staff/reports/new/"
COLOURS = ["red", "green", "blue", "yellow"]


def _post_data(kinds, **changes):
    data = {
        "title": "东镇社工站开展儿童安全宣传",
        "subtitle": "",
        "start_date": "2023-02-25",
        "end_date": "",
        "town": "",
        "village": "",
        "place_text": "",
        "kind": kinds["宣传"].pk,
        "other_partners": "",
        "person_times": "",
        "households": "",
        "persons": "",
        "volunteers": "",
        "service_hours": "",
        "body": "为加强对下一代的关心、关爱，社工站开展活动。",
        "project": "",
        "caption": "",
    }
    data.update(changes)
    return data


def _photos(n):
    # Different pictures: the same one twice is refused as a duplicate.
    return [upload(jpeg(color=COLOURS[i]), name=f"IMG_{i + 1}.jpg") for i in range(n)]


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _assert_nothing_created(settings):
    assert not ActivityReport.objects.exists()
    assert not ReportPhoto.objects.exists()
    assert media_files(settings) == []


# --- Photos in the same POST -----------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 3])
def test_worker_files_a_report_with_photos_in_one_post(
    n, login, personas, net, kinds, settings
):
    data = _post_data(kinds, caption="宣传现场", photos=_photos(n))
    response = login(personas.worker).post(NEW, data)
    report = ActivityReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reports/{report.pk}/"
    photos = list(report.photos.order_by("position"))
    assert [p.position for p in photos] == list(range(1, n + 1))
    assert all(p.caption == "宣传现场" for p in photos)
    assert all(p.uploaded_by == personas.worker for p in photos)
    # Three renditions per photo, nothing else (the upload itself is not kept).
    assert len(media_files(settings)) == 3 * n
    (message,) = _messages(response)
    assert message.startswith("草稿已保存")
    assert (f"附 {n} 张照片" in message) == bool(n)


def test_the_report_page_shows_the_photos_filed_with_it(login, personas, kinds):
    client = login(personas.worker)
    client.post(NEW, _post_data(kinds, caption="入户走访", photos=_photos(2)))
    report = ActivityReport.objects.get()
    html = client.get(f"/staff/reports/{report.pk}/").content.decode()
    # Each photo twice: at the end of the body (no "[照片N]" line places it)
    # and in the photo section below it.
    assert html.count('alt="入户走访"') == 4
    assert "[照片2]" in html


def test_gallery_and_camera_inputs_are_both_taken(login, personas, kinds):
    # The form's two file inputs share the name "photos"; the camera's photo
    # arrives beside the gallery's ones.
    data = _post_data(kinds, photos=[*_photos(2), upload(gps_photo(), "camera.jpg")])
    login(personas.worker).post(NEW, data)
    assert ReportPhoto.objects.count() == 3


def test_photos_of_people_are_kept_with_consent(login, personas, kinds):
    data = _post_data(kinds, photos=_photos(1), shows_people="on", consent="on")
    login(personas.worker).post(NEW, data)
    photo = ReportPhoto.objects.get()
    assert photo.shows_people and photo.consent


def test_consent_boxes_without_photos_hold_nothing_up(login, personas, kinds):
    response = login(personas.worker).post(NEW, _post_data(kinds, shows_people="on"))
    assert response.status_code == 302
    assert ActivityReport.objects.get().photos.count() == 0


def _refused(kinds, settings, case):
    """The POST data of each refusal, and a word of its Chinese message."""
    if case == "not an image":
        files = [upload("这不是图片".encode(), "报告.jpg")]
        return _post_data(
            kinds, photos=files
        ), "第 1 个文件（报告.jpg）：这个文件不是图片"
    if case == "bad image among good ones":
        files = [*_photos(2), upload(jpeg()[:300], "cut.jpg")]
        return _post_data(kinds, photos=files), "第 3 个文件（cut.jpg）：图片文件不完整"
    if case == "too big":
        settings.PHOTO_MAX_UPLOAD_BYTES = 2000
        files = [upload(gps_photo((1200, 900)), "big.jpg")]
        return _post_data(kinds, photos=files), "图片太大"
    if case == "no consent":
        data = _post_data(kinds, photos=_photos(1), shows_people="on")
        return data, "请确认已取得本人或监护人同意"
    if case == "same photo twice":
        same = jpeg(color="red")
        files = [upload(same, "a.jpg"), upload(same, "b.jpg")]
        return _post_data(
            kinds, photos=files
        ), "第 2 个文件（b.jpg）：与第 1 个文件是同一张照片"
    if case == "too many":
        files = _photos(4)
        return _post_data(kinds, photos=files), "一次最多随报告上传 3 张照片"
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "not an image",
        "bad image among good ones",
        "too big",
        "no consent",
        "same photo twice",
        "too many",
    ],
)
def test_refused_photos_file_nothing(
    case, login, personas, kinds, settings, monkeypatch
):
    monkeypatch.setattr(ReportPhotosForm, "MAX_PHOTOS", 3)
    data, words = _refused(kinds, settings, case)
    response = login(personas.worker).post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "报告没有保存" in html
    assert words in html
    # The browser has forgotten the files: the page says to choose them again.
    assert "所选的照片也没有保存" in html
    # The text is kept for the second try, under the same key.
    assert "东镇社工站开展儿童安全宣传" in html
    _assert_nothing_created(settings)


def test_report_errors_keep_the_photos_unprocessed(login, personas, kinds, settings):
    data = _post_data(kinds, title="", photos=_photos(2))
    response = login(personas.worker).post(NEW, data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert "所选的照片也没有保存" in response.content.decode()
    _assert_nothing_created(settings)


def test_a_failed_save_takes_the_written_files_with_it(
    personas, net, kinds, settings, monkeypatch
):
    # The photos' files are written inside the report's transaction; should it
    # fail after them (here: recording the history), none is left behind.
    checked = services.photos_check(by=personas.worker, files=_photos(2))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("activities.services.reports._record", broken)
    report = ActivityReport(
        title="标题", start_date=datetime.date(2023, 2, 25), kind=kinds["宣传"]
    )
    with pytest.raises(RuntimeError):
        services.report_create(
            report=report, unit=net.a1, by=personas.worker, photos=checked
        )
    _assert_nothing_created(settings)


# --- Who may file ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 302),
        ("head", 302),
        ("reviewer", 302),  # for the county bureau
        ("editor", 302),  # for the city bureau
        ("supervisor", 403),  # comments on reports, files none
        ("nobody", 403),
        ("superuser", 403),  # files for no unit (the permission matrix)
    ],
)
def test_who_may_file_with_photos(persona, status, login, personas, kinds, settings):
    response = login(getattr(personas, persona)).post(
        NEW, _post_data(kinds, photos=_photos(1))
    )
    assert response.status_code == status
    if status == 302:
        report = ActivityReport.objects.get()
        assert report.author == getattr(personas, persona)
        assert report.photos.count() == 1
    else:
        _assert_nothing_created(settings)


def test_public_is_sent_to_login(client, kinds, settings):
    response = client.post(NEW, _post_data(kinds, photos=_photos(1)))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    _assert_nothing_created(settings)


# --- What the form preselects --------------------------------------------------------


def test_worker_of_one_station_finds_town_and_date_chosen(login, personas, net):
    response = login(personas.worker).get(NEW)
    form = response.context["form"]
    today = timezone.localdate()
    assert form.initial["town"] == net.a1.town_id
    assert form.initial["start_date"] == today
    assert "end_date" not in form.initial  # a one-day activity needs none
    html = response.content.decode()
    assert f'<option value="{net.a1.town_id}" selected>' in html
    assert f'value="{today:%Y-%m-%d}"' in html
    # No station to choose: the one there is files the report.
    assert "unit" not in form.fields


def test_the_preselected_town_is_what_gets_saved(login, personas, net, kinds):
    client = login(personas.head)
    form = client.get(NEW).context["form"]
    data = _post_data(kinds, town=form.initial["town"])
    client.post(NEW, data)
    assert ActivityReport.objects.get().town == net.a1.town


def test_county_reviewer_gets_the_date_but_no_town(login, personas):
    form = login(personas.reviewer).get(NEW).context["form"]
    assert "town" not in form.initial
    assert form.initial["start_date"] == timezone.localdate()


def test_worker_of_two_stations_chooses_the_town(login, personas, net):
    station_services.role_assign(
        user=personas.worker, role=Role.SOCIAL_WORKER, unit=net.a1b
    )
    form = login(personas.worker).get(NEW).context["form"]
    assert "town" not in form.initial
    assert "unit" in form.fields


def test_editing_preselects_nothing_and_takes_no_photos(login, personas, draft, net):
    response = login(personas.worker).get(f"/staff/reports/{draft.pk}/edit/")
    form = response.context["form"]
    assert form.initial["start_date"] == draft.start_date
    assert "client_key" not in form.fields
    html = response.content.decode()
    assert 'name="photos"' not in html and "multipart" not in html


# --- A form sent twice files one report ------------------------------------------------


def test_the_form_carries_a_fresh_key(login, personas):
    client = login(personas.worker)
    first, second = client.get(NEW), client.get(NEW)
    keys = [r.context["form"].initial["client_key"] for r in (first, second)]
    assert all(isinstance(k, uuid.UUID) for k in keys) and keys[0] != keys[1]
    html = first.content.decode()
    assert f'<input type="hidden" name="client_key" value="{keys[0]}"' in html


def test_same_key_twice_files_one_report(login, personas, kinds, settings):
    client = login(personas.worker)
    key = str(uuid.uuid4())
    data = _post_data(kinds, client_key=key, photos=_photos(2))
    first = client.post(NEW, data)
    again = client.post(NEW, _post_data(kinds, client_key=key, photos=_photos(2)))
    report = ActivityReport.objects.get()
    assert str(report.client_key) == key
    assert first["Location"] == again["Location"] == f"/staff/reports/{report.pk}/"
    assert "这份报告已经保存过了，没有重复保存。" in _messages(again)
    # The second POST's photos were never processed nor stored.
    assert report.photos.count() == 2
    assert len(media_files(settings)) == 6


def test_the_key_is_per_author(login, personas, kinds):
    key = str(uuid.uuid4())
    login(personas.worker).post(NEW, _post_data(kinds, client_key=key))
    login(personas.head).post(NEW, _post_data(kinds, client_key=key))
    assert ActivityReport.objects.count() == 2


def test_a_form_sent_without_a_key_gets_one(login, personas, kinds):
    login(personas.worker).post(NEW, _post_data(kinds))
    assert ActivityReport.objects.get().client_key is not None


def test_a_broken_key_is_refused_in_chinese(login, personas, kinds):
    response = login(personas.worker).post(NEW, _post_data(kinds, client_key="x"))
    assert response.status_code == 200
    assert not ActivityReport.objects.exists()
    assert response.context["form"].errors["client_key"]


@pytest.mark.parametrize("first_seen_by", ["full_clean", "the database"])
def test_two_sends_at_once_file_one_report(
    first_seen_by, personas, net, kinds, settings, monkeypatch
):
    # Both requests looked for the key before either had saved: the constraint
    # lets one through, and the other answers with that one report and removes
    # the files it had written. The constraint is seen by the model's validation
    # when the first request has committed by then, else only by the database.
    key = uuid.uuid4()

    def report(title):
        return ActivityReport(
            title=title, start_date=datetime.date(2023, 2, 25), kind=kinds["宣传"]
        )

    first = services.report_create(
        report=report("第一次"),
        unit=net.a1,
        by=personas.worker,
        client_key=key,
        photos=services.photos_check(by=personas.worker, files=_photos(1)),
    )
    looked = []
    real = selectors.report_filed_with

    def not_yet_saved(**kwargs):
        # The first look (before saving) misses the other request's report.
        looked.append(kwargs)
        return None if len(looked) == 1 else real(**kwargs)

    monkeypatch.setattr("activities.services.reports.report_filed_with", not_yet_saved)
    if first_seen_by == "the database":
        monkeypatch.setattr(
            ActivityReport, "validate_constraints", lambda *a, **k: None
        )
    second = services.report_create(
        report=report("第二次"),
        unit=net.a1,
        by=personas.worker,
        client_key=key,
        photos=services.photos_check(by=personas.worker, files=_photos(2)),
    )
    assert second.pk == first.pk and len(looked) == 2
    assert list(ActivityReport.objects.values_list("title", flat=True)) == ["第一次"]
    assert ReportPhoto.objects.count() == 1
    assert len(media_files(settings)) == 3


# --- The page's cost ----------------------------------------------------------------


# Session and user (2); the user's roles (1) and stations (1) for the filing
# units; then one query for each list the form offers: kinds, towns, villages
# twice (the place's select and the villages reached), categories, partners and
# the station's projects (7). Preselecting the town and the date costs none.
CREATE_PAGE_QUERIES = 11


def test_create_page_query_count_is_fixed(
    login, personas, net, kinds, django_assert_num_queries
):
    client = login(personas.worker)
    with django_assert_num_queries(CREATE_PAGE_QUERIES):
        assert client.get(NEW).status_code == 200
    # More villages, towns and partners to offer: the same count.
    for i in range(3):
        town = factories.TownFactory(county=net.county_a1, name=f"新镇{i}")
        for j in range(10):
            factories.VillageFactory(town=town, name=f"新镇{i}村{j}")
    for i in range(5):
        Partner.objects.create(name=f"合作单位{i}")
    with django_assert_num_queries(CREATE_PAGE_QUERIES):
        response = client.get(NEW)
    assert response.content.decode().count("新镇2村") == 20  # both village lists
