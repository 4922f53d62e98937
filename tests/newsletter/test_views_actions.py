"""The staff pages' forms and buttons: what each does, and that bad input gets a
Chinese message and changes nothing (never a server error)."""

from newsletter import privacy
from newsletter.models import Article, Issue, IssueCorrection, PrivacyOverride, Section
from tests.newsletter.conftest import D, titles
from tests.newsletter.privacy_helpers import registered


def _text(response):
    return response.content.decode()


def test_assemble_form(three_levels, login, personas, publication):
    client = login(personas.editor)
    response = client.post(
        "/staff/issues/assemble/",
        {"publication": publication.pk, "start": "2023-02-01", "end": "2023-02-28"},
        follow=True,
    )
    issue = Issue.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/issues/{issue.pk}/"
    assert "已组稿：8 篇文章。" in _text(response)
    response = client.post(
        "/staff/issues/assemble/",
        {"publication": publication.pk, "start": "2023-02-01", "end": "2023-02-28"},
    )
    assert response.status_code == 200 and "都已在其他草稿中" in _text(response)
    for bad in (
        {"publication": publication.pk, "start": "2023-03-01", "end": "2023-02-01"},
        {"publication": publication.pk, "start": "昨天", "end": ""},
        {"publication": "999", "start": "2023-02-01", "end": "2023-02-28"},
    ):
        response = client.post("/staff/issues/assemble/", bad)
        assert response.status_code == 200 and "没有组稿" in _text(response)
    assert Issue.objects.count() == 1


def test_new_empty_issue(login, personas, publication):
    response = login(personas.editor).post(
        "/staff/issues/new/", {"publication": publication.pk}
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"/staff/issues/{issue.pk}/"
    assert issue.source == Issue.Source.WRITTEN


def test_move_buttons(draft, login, personas):
    client = login(personas.editor)
    station = draft.sections.get(kind=Section.Kind.STATION)
    county = draft.sections.get(kind=Section.Kind.COUNTY)
    last = station.articles.order_by("position").last()
    response = client.post(
        f"/staff/issues/articles/{last.pk}/move/",
        {"section": station.pk, "position": "3"},
    )
    assert response["Location"].endswith(f"/staff/issues/{draft.pk}/#article-{last.pk}")
    assert titles(draft)["社工站（点）动态"][2] == last.title
    client.post(
        f"/staff/issues/articles/{last.pk}/move/",
        {"section": county.pk, "position": "1000"},
    )
    assert titles(draft)["县（市、区）动态"][-1] == last.title
    before = titles(draft)
    for bad in ({"position": "abc"}, {"position": "-1"}, {"position": "9" * 30}):
        response = client.post(
            f"/staff/issues/articles/{last.pk}/move/", bad, follow=True
        )
        assert "位置应为正整数" in _text(response)
    other = Issue.objects.create(publication=draft.publication, year=2023)
    foreign = Section.objects.create(issue=other, title="别的", position=1)
    response = client.post(
        f"/staff/issues/articles/{last.pk}/move/",
        {"section": foreign.pk, "position": "1"},
    )
    assert response.status_code == 404
    assert titles(draft) == before


def test_article_edit_saves_text_and_photos(draft, login, personas, three_levels):
    client = login(personas.editor)
    article = draft.articles.get(source_report=three_levels["a1_early"])
    first, second = article.photos.order_by("position")
    data = {
        "title": "改写的标题",
        "subtitle": "——副标题",
        "body": "第一段\n[照片2]\n二、小标题",
        "county": "",
        "station": article.station_id,
        "photos-form": "1",
        f"keep-{first.pk}": "1",
        f"order-{first.pk}": "2",
        f"caption-{first.pk}": "第一张",
        f"keep-{second.pk}": "1",
        f"order-{second.pk}": "1",
        f"caption-{second.pk}": "第二张",
    }
    response = client.post(f"/staff/issues/articles/{article.pk}/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.subtitle) == ("改写的标题", "副标题")
    # [照片2] followed its photo, which is now the first.
    assert article.body == "<p>第一段</p>\n<p>[照片1]</p>\n<h3>二、小标题</h3>"
    assert [(p.pk, p.caption) for p in article.photos.order_by("position")] == [
        (second.pk, "第二张"),
        (first.pk, "第一张"),
    ]
    # Bad input: a message, nothing changed.
    for bad in (
        {**data, "title": ""},
        {**data, f"order-{first.pk}": "第二"},
        {**data, "station": "999999"},
    ):
        response = client.post(f"/staff/issues/articles/{article.pk}/", bad)
        assert response.status_code == 200 and "没有保存" in _text(response)
    article.refresh_from_db()
    assert article.title == "改写的标题"


def test_article_new_and_delete(draft, login, personas):
    client = login(personas.editor)
    city = draft.sections.get(kind=Section.Kind.CITY)
    response = client.post(
        f"/staff/issues/{draft.pk}/articles/new/",
        {"section": city.pk, "title": "编辑来稿", "body": "正文"},
    )
    article = Article.objects.get(title="编辑来稿")
    assert response["Location"].endswith(f"#article-{article.pk}")
    response = client.post(
        f"/staff/issues/{draft.pk}/articles/new/", {"section": city.pk}
    )
    assert response.status_code == 200 and "没有保存" in _text(response)
    client.post(f"/staff/issues/articles/{article.pk}/delete/")
    assert not Article.objects.filter(pk=article.pk).exists()


def test_section_buttons(draft, login, personas):
    client = login(personas.editor)
    client.post(f"/staff/issues/{draft.pk}/sections/new/", {"title": "工作简讯"})
    extra = draft.sections.get(title="工作简讯")
    client.post(f"/staff/issues/sections/{extra.pk}/rename/", {"title": "简讯"})
    client.post(f"/staff/issues/sections/{extra.pk}/move/", {"position": "1"})
    assert draft.sections.order_by("position").first().title == "简讯"
    response = client.post(
        f"/staff/issues/{draft.pk}/sections/new/", {"title": ""}, follow=True
    )
    assert "请填写栏目名称" in _text(response)
    city = draft.sections.get(kind=Section.Kind.CITY)
    response = client.post(f"/staff/issues/sections/{city.pk}/delete/", follow=True)
    assert "栏目中还有文章" in _text(response)
    client.post(f"/staff/issues/sections/{extra.pk}/delete/")
    assert draft.sections.count() == 3


def test_meta_form(draft, login, personas):
    client = login(personas.editor)
    client.post(
        f"/staff/issues/{draft.pk}/meta/",
        {"issue_date": "2023-03-10", "editor_note": "按语"},
    )
    draft.refresh_from_db()
    assert (draft.issue_date, draft.editor_note) == (D(2023, 3, 10), "按语")
    response = client.post(
        f"/staff/issues/{draft.pk}/meta/",
        {"issue_date": "三月", "editor_note": ""},
        follow=True,
    )
    assert "日期" in _text(response)
    draft.refresh_from_db()
    assert draft.editor_note == "按语"


def test_add_reports_form(draft, approve, login, personas):
    client = login(personas.editor)
    late = approve("a1", "后来通过的报告", D(2023, 3, 2))
    page = _text(client.get(f"/staff/issues/{draft.pk}/add/"))
    assert "后来通过的报告" in page and "不在组稿范围内" in page
    response = client.post(
        f"/staff/issues/{draft.pk}/add/", {"report": ["x", "0"]}, follow=True
    )
    assert "请至少选择一篇报告" in _text(response)
    response = client.post(
        f"/staff/issues/{draft.pk}/add/", {"report": [late.pk]}, follow=True
    )
    assert "已加入 1 篇文章" in _text(response)
    response = client.post(
        f"/staff/issues/{draft.pk}/add/", {"report": [late.pk]}, follow=True
    )
    assert "已不能加入" in _text(response)


def test_privacy_page_override_and_publish(approve, assemble, login, personas, net):
    registered(personas, net)
    approve("a1", "入户走访", D(2023, 2, 10), body="走访王小红，电话13812345678。")
    issue = assemble()
    client = login(personas.editor)
    page = _text(client.get(f"/staff/issues/{issue.pk}/privacy/"))
    assert "王**" in page and "138****5678" in page
    assert "王小红" not in page and "13812345678" not in page
    response = client.post(f"/staff/issues/{issue.pk}/publish/", follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/issues/{issue.pk}/privacy/"
    assert "尚未处理" in _text(response)
    article = issue.articles.get()
    hits = privacy.issue_privacy_check(issue)
    url = f"/staff/issues/{issue.pk}/privacy/override/"
    response = client.post(
        url, {"article": article.pk, "hit": hits[0].key, "reason": ""}, follow=True
    )
    assert "请写明放行理由" in _text(response)
    response = client.post(
        url,
        {"article": article.pk, "hit": "name:abc", "reason": "已同意公开"},
        follow=True,
    )
    assert "无需放行" in _text(response)
    assert client.post(url, {"article": "x", "hit": hits[0].key}).status_code == 404
    assert not PrivacyOverride.objects.exists()
    for hit in hits:
        client.post(
            url, {"article": article.pk, "hit": hit.key, "reason": "监护人书面同意"}
        )
    assert PrivacyOverride.objects.count() == 2
    page = _text(client.get(f"/staff/issues/{issue.pk}/privacy/"))
    assert "已放行" in page and "监护人书面同意" in page
    response = client.post(f"/staff/issues/{issue.pk}/publish/")
    issue.refresh_from_db()
    assert issue.is_published
    assert response["Location"] == f"/issues/jia/{issue.year}/{issue.number}/"


def test_correction_through_the_article_page(draft, login, personas, client):
    editor = login(personas.editor)
    editor.post(f"/staff/issues/{draft.pk}/publish/")
    draft.refresh_from_db()
    article = draft.articles.first()
    page = _text(editor.get(f"/staff/issues/articles/{article.pk}/"))
    assert "更正理由" in page and "撤下文章" in page
    data = {"title": "更正后的标题", "body": "正文", "county": "", "station": ""}
    response = editor.post(f"/staff/issues/articles/{article.pk}/", data)
    assert response.status_code == 200 and "更正理由" in _text(response)
    editor.post(
        f"/staff/issues/articles/{article.pk}/",
        {**data, "correction_reason": "标题有错字"},
    )
    assert IssueCorrection.objects.get().reason == "标题有错字"
    response = editor.post(
        f"/staff/issues/{draft.pk}/correct/", {"editor_note": "x", "reason": ""}
    )
    assert response.status_code == 200 and "没有保存" in _text(response)
    editor.post(
        f"/staff/issues/{draft.pk}/correct/",
        {"editor_note": "新按语", "reason": "补充按语"},
    )
    assert IssueCorrection.objects.count() == 2
