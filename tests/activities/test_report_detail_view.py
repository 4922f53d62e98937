"""The staff report page: who may read it, that it reads as it will be
published, the actions offered by role, and its pinned query count."""

import hashlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags
from PIL import Image

from activities import services
from activities.models import BeneficiaryCategory, Partner, ReportPhoto
from tests.activities.report_view_helpers import D, _project

# --- The report page ----------------------------------------------------------------------


def _jpeg(n: int, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (n * 40 % 256, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(report, by, n, caption=""):
    """A photo on the report: through the photos service when it exists, else as a
    row with small Pillow-made renditions."""
    data = _jpeg(n)
    try:
        from activities.services import report_photo_add
    except ImportError:
        report_photo_add = None
    if report_photo_add is not None:
        upload = SimpleUploadedFile(f"p{n}.jpg", data, content_type="image/jpeg")
        return report_photo_add(report=report, by=by, file=upload, caption=caption)
    photo = ReportPhoto(
        report=report,
        position=n,
        width=64,
        height=48,
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption,
        uploaded_by=by,
    )
    for name in ("thumb", "web", "print_image"):
        getattr(photo, name).save("photo.jpg", ContentFile(data), save=False)
    photo.save()
    return photo


@pytest.fixture
def full_report(net, personas, make_report, kinds, villages):
    report = make_report(
        personas.worker,
        net.a1,
        title="东镇社工站开展“六一”关爱活动",
        subtitle="守护童心",
        start_date=D(2023, 5, 31),
        end_date=D(2023, 6, 1),
        village=villages["dongcun"],
        person_times=21,
        households=12,
        persons=15,
        volunteers=5,
        service_hours="2.5",
        body="为加强关爱，社工站开展活动。\n一、开展安全教育\n[照片2]\n活动中，社工讲解安全知识。",
        project=_project(net.a1, "关爱留守儿童项目"),
    )
    report.categories.set(BeneficiaryCategory.objects.filter(name="困境儿童"))
    report.partners.set(Partner.objects.filter(name="妇联"))
    report.villages_reached.set([villages["dongcun"], villages["beicun"]])
    add_photo(report, personas.worker, 1, caption="社工为儿童讲解")
    add_photo(report, personas.worker, 2, caption="合影")
    return report


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 200),
        ("head", 200),
        ("other_worker", 404),
        ("supervisor", 200),
        ("reviewer", 200),
        ("other_reviewer", 404),
        ("editor", 200),
        ("other_editor", 404),
        ("nobody", 403),
        ("superuser", 200),
    ],
)
def test_report_page_by_role(login, personas, full_report, persona, status):
    response = login(getattr(personas, persona)).get(
        f"/staff/reports/{full_report.pk}/"
    )
    assert response.status_code == status


def test_report_page_reads_as_it_will_be_published(login, personas, full_report):
    html = login(personas.worker).get(f"/staff/reports/{full_report.pk}/")
    html = html.content.decode()
    text = re.sub(r"\s+", " ", strip_tags(html))
    assert "东镇社工站开展“六一”关爱活动" in html and "——守护童心" in html
    assert "甲一区东镇社工站" in text
    assert "2023年5月31日 – 2023年6月1日" in text
    assert "东镇东村" in text
    assert "宣传" in text and "困境儿童" in text and "妇联" in text
    for count in ("服务人次 21 人次", "12 户", "服务人数 15 人", "志愿者 5 人"):
        assert count in text
    assert "服务时长 2.5 小时" in text
    assert "<h3>一、开展安全教育</h3>" in html
    # Photo 2 is placed by its marker, photo 1 follows the last paragraph.
    photos = ReportPhoto.objects.filter(report=full_report).order_by("position", "pk")
    first, second = photos
    body = html.split('class="report-body"', 1)[1].split("</div>", 1)[0]
    assert body.index(second.web.url) < body.index("活动中") < body.index(first.web.url)
    assert f'alt="{first.caption}"' in body


def test_report_page_actions_by_role(login, personas, net, make_report):
    draft = make_report(personas.worker, net.a1)
    submitted = make_report(personas.worker, net.a1, status="submitted")

    def actions(user, report):
        html = login(user).get(f"/staff/reports/{report.pk}/").content.decode()
        return {
            name
            for name in ("edit", "submit", "approve", "return", "withdraw", "comment")
            if f"/staff/reports/{report.pk}/{name}/" in html
        }

    assert actions(personas.worker, draft) == {"edit", "submit"}
    assert actions(personas.worker, submitted) == set()
    assert actions(personas.supervisor, submitted) == {"comment"}
    assert actions(personas.reviewer, draft) == {"comment"}
    assert actions(personas.reviewer, submitted) == {"approve", "return", "comment"}
    assert actions(personas.editor, submitted) == {"approve", "return", "comment"}


# --- Query counts ------------------------------------------------------------------------


def test_report_page_query_count_is_fixed(
    login, personas, villages, full_report, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 15 = session + user + scope + the report with its units, place, kind and
    # author joined + categories + partners + villages reached with their towns
    # joined + the project + photos + the history with each step's user and
    # worker record joined; then the figure checks: the number of
    # villages of the report's town + the trainings linked to the report with
    # their figures + the project's progress (its linked reports' counts, and
    # the villages they reached); then the count of beneficiaries whose
    # attendance is recorded. What the user may do comes from the
    # scope.
    with django_assert_num_queries(15):
        client.get(f"/staff/reports/{full_report.pk}/")
    for n in range(3, 8):
        add_photo(full_report, personas.worker, n, caption=f"照片{n}")
    full_report.categories.set(BeneficiaryCategory.objects.all()[:5])
    full_report.partners.set(Partner.objects.all()[:5])
    full_report.villages_reached.set(villages.values())
    services.report_submit(report=full_report, by=personas.worker)
    for who in (personas.supervisor, personas.reviewer, personas.editor):
        services.report_comment(report=full_report, by=who, comment="请核实数字")
    with django_assert_num_queries(15):
        response = client.get(f"/staff/reports/{full_report.pk}/")
    assert len(response.context["history"]) == 5
    assert response.content.decode().count("<figure>") == 7
