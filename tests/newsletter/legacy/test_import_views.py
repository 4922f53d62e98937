"""The import screen under /staff/issues/import/: upload, preview, confirm; who
may use it; bad files; query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletter.models import Issue, Publication
from tests.newsletter.legacy.helpers import SEED_ARTICLES, replace

URL = "/staff/issues/import/"
CONFIRM = "/staff/issues/import/confirm/"


def upload(client, publication, data, name="seed.txt", **fields):
    payload = {
        "publication": publication.pk,
        "file": SimpleUploadedFile(name, data),
        "year": 2023,
        "number": 3,
    }
    payload.update(fields)
    return client.post(URL, {k: v for k, v in payload.items() if v is not None})


def test_urls_are_where_the_coordinator_mounts_them():
    assert reverse("newsletter_staff:legacy_import") == URL
    assert reverse("newsletter_staff:legacy_import_confirm") == CONFIRM


def test_editor_previews_then_confirms_the_seed(
    client, login, publication, yunfu_editor, seed_bytes
):
    login(yunfu_editor)
    response = upload(client, publication, seed_bytes)
    assert response.status_code == 200
    text = response.content.decode()
    assert Issue.objects.count() == 0
    for expected in (
        "2023年第3期：3 个栏目，10 篇文章，9 篇已匹配县（市、区）或社工站，0 篇未匹配，2 篇标题与目录不完全一致",
        "建立健全社会工作常态化培训学习机制",
        "——云浮市民政局顺利举办全市2022年度“双百工程”系列培训",
        "罗定市 泗纶镇社工站",
        "郁南县 河口镇社工站",
        "标题与目录不完全一致（已按同一篇处理）",
        "关爱重点青年群体服务项目进行中期阶段性总结</td>",
        "98%",
        "image2.png",
        "确认导入并发布",
    ):
        assert expected in text, expected
    token = response.context["token"]
    response = client.post(CONFIRM, {"token": token})
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == issue.get_absolute_url()
    assert issue.created_by == yunfu_editor and issue.articles.count() == 10
    # The imported issue is public at once, with its contents.
    page = client.get(response["Location"]).content.decode()
    for _section, title, _subtitle in SEED_ARTICLES:
        assert title in page
    # A token confirms once.
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "导入已失效" in response.content.decode()
    assert Issue.objects.count() == 1


def test_unmatched_articles_are_listed_with_the_reason(
    client, login, publication, yunfu_editor, seed_text
):
    text = replace(seed_text, "罗定市泗纶镇社工站开展\n", "太平镇社工站开展\n")
    login(yunfu_editor)
    response = upload(client, publication, text.encode())
    page = response.content.decode()
    assert "没有匹配到县（市、区）或社工站的文章" in page
    assert (
        "“太平镇”在新兴县、罗定市都有，文中没有写明是哪个县（市、区），未匹配。" in page
    )
    assert [a.title[:3] for a in response.context["result"].unmatched] == ["太平镇"]


def test_a_second_upload_of_an_imported_file_says_so(
    client, login, publication, yunfu_editor, seed_bytes
):
    login(yunfu_editor)
    client.post(
        CONFIRM, {"token": upload(client, publication, seed_bytes).context["token"]}
    )
    response = upload(client, publication, seed_bytes, number=4)
    assert "已经导入过" in response.content.decode()
    assert "token" not in response.context and response.status_code == 400
    assert Issue.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x00\x01\x02\x03" * 64, "既不是文本文件"),
        (b"%PDF-1.4 1 0 obj", "PDF"),
        ("通知\n\n明天开会。".encode(), "不是一期简报"),
    ],
    ids=["binary", "pdf", "not-a-newsletter"],
)
def test_bad_files_get_a_message_and_nothing_is_created(
    client, login, publication, yunfu_editor, data, message
):
    login(yunfu_editor)
    response = upload(client, publication, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Issue.objects.count() == 0


def test_missing_year_and_number_and_bad_form_input(
    client, login, publication, yunfu_editor, seed_bytes
):
    login(yunfu_editor)
    response = upload(client, publication, seed_bytes, year=None, number=None)
    assert response.status_code == 400
    assert "请指定年份和期号" in response.content.decode()
    assert "token" not in response.context
    response = upload(client, publication, seed_bytes, year="二〇二三", number=0)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"year", "number"}
    response = client.post(URL, {"publication": publication.pk})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert Issue.objects.count() == 0


@pytest.mark.parametrize("who", ["yunfu_editor", "superuser"])
def test_who_may_use_the_screen(
    client, login, publication, personas, yunfu_editor, who
):
    user = yunfu_editor if who == "yunfu_editor" else personas.superuser
    login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["form"].fields["publication"].queryset) == [
        publication
    ]


@pytest.mark.parametrize(
    "who", ["reviewer", "other_reviewer", "supervisor", "head", "worker", "nobody"]
)
def test_everyone_else_gets_a_404(
    client, login, personas, publication, seed_bytes, who
):
    login(getattr(personas, who))
    assert client.get(URL).status_code == 404
    assert upload(client, publication, seed_bytes).status_code == 404
    assert client.post(CONFIRM, {"token": "x"}).status_code == 404


def test_an_editor_of_another_city_cannot_import_into_this_publication(
    client, login, personas, publication, seed_bytes
):
    login(personas.editor)
    response = client.get(URL)
    assert "还没有简报" in response.content.decode()
    response = upload(client, publication, seed_bytes)
    assert response.status_code == 400
    assert "publication" in response.context["form"].errors
    assert Issue.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_upload_page_takes_the_same_queries_for_one_or_many_publications(
    client, login, personas, publication, django_assert_num_queries
):
    login(personas.superuser)
    # Session, user, the user's role assignments (scope), whether a publication
    # exists, and the publications of the select twice (its options, and
    # Select.use_required_attribute looking at the first option).
    with django_assert_num_queries(6):
        client.get(URL)
    for n in range(4):
        Publication.objects.create(
            name=f"简报{n}", slug=f"p{n}", city=publication.city, bureau="局"
        )
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["form"].fields["publication"].queryset) == 5


def test_the_preview_takes_the_same_queries_for_ten_or_sixteen_articles(
    client, login, publication, yunfu_editor, seed_text, django_assert_num_queries
):
    login(yunfu_editor)
    bigger = seed_text + "\n" + seed_text[seed_text.index("●社工站（点）动态", 500) :]
    # Session, user, scope (3); whether a publication exists and the form's
    # publication lookup (2); the import's dry run (6: checksum, the gazetteer's
    # three, the city's beneficiary identifiers, the number lookup; the seed
    # gives no running number, and none is looked for to invent one); the
    # upload held for the confirmation (2: the editor's earlier one and any
    # expired deleted, the new one written); the form's select re-rendered (2,
    # as on the upload page).
    for text in (seed_text, bigger):
        with django_assert_num_queries(15):
            response = upload(client, publication, text.encode())
        assert response.status_code == 200
    assert len(response.context["result"].articles) == 16
