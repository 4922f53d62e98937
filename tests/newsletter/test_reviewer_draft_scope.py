"""Permission tests for a reviewer on a draft that mixes counties: preview, print
view and Word file. A county reviewer reads a draft only as far as it is about
their county (DESIGN.md §4): the county's articles and photos, and of the rest
(the other counties' articles and the city's) a count, never a title, a body,
a caption or a photo. The editor still reads everything; anyone else gets a
404 (newsletter/permissions.py, articles_visible_in_issue)."""

import io
from dataclasses import dataclass

import pytest
from docx import Document

from core.models import Job
from newsletter import selectors, services
from newsletter.models import Article, ArticlePhoto
from tests.jobs.helpers import job_of
from tests.newsletter.conftest import D, add_photo, jpeg

HIDDEN = "本期另有 {n} 篇其他县（市、区）或市级的文章，您无权查看。"
RENDITIONS = ("thumb", "web", "print_image")


def _body_of(article) -> str:
    # A paragraph no other article has, so a page that shows it shows this
    # article's text.
    return f"正文标记{article.pk}号：这一段只属于这篇文章。"


@pytest.fixture
def mixed(draft, three_levels, approve, personas):
    """The assembled ``draft`` (A1, A2 and city articles; two photos on an A1
    station's article) with photos on an A2 station's article and on a city
    article too, a photo the article does not show in each of their reports,
    and each article's body its own."""
    extra = [
        approve("a2", "开展关爱留守儿童活动", D(2023, 2, 12), photos=2),
        approve("city_a", "全市社工站站长集中培训", D(2023, 2, 14), photos=1),
    ]
    services.issue_add_reports(issue=draft, reports=extra, by=personas.editor)
    for report in [three_levels["a1_early"], *extra]:
        add_photo(report, personas.superuser, 9, caption="报告中未选用的照片")
    for article in draft.articles.all():
        services.article_update(
            article=article,
            by=personas.editor,
            title=article.title,
            subtitle=article.subtitle,
            body=_body_of(article),
        )
    return draft


@dataclass
class Split:
    """The articles of the draft a reader may read, and the rest."""

    mine: list
    others: list

    @staticmethod
    def photo_urls(articles) -> list[str]:
        """The files of the articles' photos (their report photos' renditions)."""
        return [
            photo.rendition(kind).url
            for article in articles
            for photo in article.photos.all()
            for kind in RENDITIONS
        ]

    @staticmethod
    def files(articles) -> set[str]:
        """Those and the files of every photo of the articles' source reports,
        the ones the articles do not show included."""
        return set(Split.photo_urls(articles)) | {
            getattr(photo, kind).url
            for article in articles
            if article.source_report is not None
            for photo in article.source_report.photos.all()
            for kind in RENDITIONS
        }

    @staticmethod
    def captions(articles) -> list[str]:
        return [p.caption for a in articles for p in a.photos.all() if p.caption]

    @staticmethod
    def picture_count(articles) -> int:
        return sum(1 for a in articles for p in a.photos.all() if p.has_picture)


def _split(issue, county) -> Split:
    articles = list(
        Article.objects.filter(issue=issue)
        .select_related("source_report")
        .prefetch_related("photos__report_photo", "source_report__photos")
        .order_by("pk")
    )
    if county is None:
        return Split(articles, [])
    return Split(
        [a for a in articles if a.county_id == county.pk],
        [a for a in articles if a.county_id != county.pk],
    )


@pytest.fixture(params=["reviewer", "other_reviewer"])
def seat(request, mixed, personas, net):
    """(the reviewer, what they may read): the reviewer of A1 and, the mirror
    image, the reviewer of A2."""
    user = getattr(personas, request.param)
    county = net.county_a1 if request.param == "reviewer" else net.county_a2
    split = _split(mixed, county)
    # What the draft holds, so that every check below has something to find.
    expected = {"reviewer": (4, 6), "other_reviewer": (3, 7)}[request.param]
    assert (len(split.mine), len(split.others)) == expected
    assert split.picture_count(split.mine) == 2
    assert split.picture_count(split.others) == 3
    return user, split


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _shows(html, articles, split):
    for article in articles:
        assert article.title in html, article.title
        assert _body_of(article) in html, article.title
    for caption in split.captions(articles):
        assert caption in html


def _hides(html, articles, split):
    for article in articles:
        assert article.title not in html, article.title
        assert _body_of(article) not in html, article.title
        assert f"/staff/issues/articles/{article.pk}/" not in html
        assert f"/preview/{article.pk}/" not in html
        if article.source_report is not None:
            assert article.source_report.get_absolute_url() not in html
    for caption in split.captions(articles):
        assert caption not in html
    for url in split.files(articles):
        assert url not in html


def _docx(data: bytes):
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs), len(doc.inline_shapes)


def _word_job_file(client, issue) -> bytes:
    job = job_of(client.post(f"/staff/issues/{issue.pk}/word/job/"))
    assert job.status == Job.Status.SUCCEEDED
    response = client.get(f"/staff/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- The reviewer ---------------------------------------------------------------------


def test_reviewer_editor_page_lists_only_the_county_and_a_count(mixed, seat, login):
    user, split = seat
    html = _html(login(user), f"/staff/issues/{mixed.pk}/")
    for article in split.mine:
        assert article.title in html
        assert f"/staff/issues/articles/{article.pk}/" in html
    _hides(html, split.others, split)
    assert HIDDEN.format(n=len(split.others)) in html
    # The page's count is of what it lists.
    assert f"{len(split.mine)} 篇文章" in html


def test_reviewer_preview_shows_the_county_only(mixed, seat, login):
    user, split = seat
    html = _html(login(user), f"/staff/issues/{mixed.pk}/preview/")
    _shows(html, split.mine, split)
    for url in split.photo_urls(split.mine):
        if url.startswith("/media/reports/web/"):
            assert url in html
    _hides(html, split.others, split)
    # The table of contents lists the county's articles, then the count.
    toc = html.split('class="nl-toc"')[1].split("</nav>")[0]
    for article in split.mine:
        assert article.full_title in toc
    assert HIDDEN.format(n=len(split.others)) in toc


def test_reviewer_print_view_shows_the_county_only(mixed, seat, login):
    user, split = seat
    html = _html(login(user), f"/staff/issues/{mixed.pk}/print/")
    _shows(html, split.mine, split)
    _hides(html, split.others, split)
    assert HIDDEN.format(n=len(split.others)) in html


def test_reviewer_word_file_holds_the_county_only(mixed, seat, login):
    user, split = seat
    client = login(user)
    direct = client.get(f"/staff/issues/{mixed.pk}/word/")
    assert direct.status_code == 200
    for data in (direct.content, _word_job_file(client, mixed)):
        text, pictures = _docx(data)
        _shows(text, split.mine, split)
        for article in split.others:
            assert article.title not in text and _body_of(article) not in text
        for caption in split.captions(split.others):
            assert caption not in text
        assert pictures == split.picture_count(split.mine) == 2
        assert HIDDEN.format(n=len(split.others)) in text


def test_reviewer_gets_404_for_another_county_article_and_its_photos(
    mixed, seat, login
):
    user, split = seat
    client = login(user)
    for article in split.mine:
        assert client.get(f"/staff/issues/articles/{article.pk}/").status_code == 200
        assert (
            client.get(f"/staff/issues/{mixed.pk}/preview/{article.pk}/").status_code
            == 200
        )
    mine = split.files(split.mine)
    assert len(mine) == (2 + 1) * 3
    for url in mine:
        assert client.get(url).status_code == 200, url
    for article in split.others:
        assert client.get(f"/staff/issues/articles/{article.pk}/").status_code == 404
        assert (
            client.get(f"/staff/issues/{mixed.pk}/preview/{article.pk}/").status_code
            == 404
        )
    others = split.files(split.others)
    assert len(others) == (3 + 2) * 3
    for url in others:
        assert client.get(url).status_code == 404, url


def test_reviewer_gets_404_for_another_county_photo_with_its_own_files(
    mixed, seat, login, net
):
    """A photo read from a past issue's Word file keeps renditions of its own
    (under newsletter/): the same rule holds for them."""
    user, split = seat
    client = login(user)
    urls = {}
    for side, article in (("mine", split.mine[0]), ("other", split.others[0])):
        # The legacy import is what writes such photos; this stands in for it.
        photo = ArticlePhoto(article=article, position=9, caption="往期图片")
        for kind in RENDITIONS:
            getattr(photo, kind).save(f"{kind}.jpg", io.BytesIO(jpeg(3)), save=False)
        photo.save()
        urls[side] = [getattr(photo, kind).url for kind in RENDITIONS]
    for url in urls["mine"]:
        assert url.startswith("/media/newsletter/")
        assert client.get(url).status_code == 200, url
    for url in urls["other"]:
        assert client.get(url).status_code == 404, url


def test_reviewer_still_changes_nothing(mixed, seat, login):
    user, split = seat
    client = login(user)
    mine = split.mine[0]
    response = client.post(
        f"/staff/issues/articles/{mine.pk}/", {"title": "改了", "body": "改了"}
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.title != "改了"


# --- Everyone else --------------------------------------------------------------------


def test_editor_still_reads_everything(mixed, login, personas):
    split = _split(mixed, None)
    assert len(split.mine) == 10
    client = login(personas.editor)
    for url in ("", "preview/", "print/"):
        html = _html(client, f"/staff/issues/{mixed.pk}/{url}")
        assert "您无权查看" not in html
        for article in split.mine:
            assert article.title in html
    _shows(_html(client, f"/staff/issues/{mixed.pk}/preview/"), split.mine, split)
    text, pictures = _docx(client.get(f"/staff/issues/{mixed.pk}/word/").content)
    _shows(text, split.mine, split)
    assert pictures == split.picture_count(split.mine) == 5
    assert "您无权查看" not in text
    text, pictures = _docx(_word_job_file(client, mixed))
    assert pictures == 5
    for article in split.mine:
        assert client.get(f"/staff/issues/articles/{article.pk}/").status_code == 200
    for url in split.files(split.mine):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["nobody", "other_editor"])
def test_anyone_else_gets_404_everywhere(mixed, login, personas, who):
    split = _split(mixed, None)
    client = login(getattr(personas, who))
    for suffix in ("", "preview/", "print/", "word/"):
        assert client.get(f"/staff/issues/{mixed.pk}/{suffix}").status_code == 404
    assert client.post(f"/staff/issues/{mixed.pk}/word/job/").status_code == 404
    for article in split.mine:
        assert client.get(f"/staff/issues/articles/{article.pk}/").status_code == 404
        assert (
            client.get(f"/staff/issues/{mixed.pk}/preview/{article.pk}/").status_code
            == 404
        )
    for url in split.files(split.mine):
        assert client.get(url).status_code == 404, url


def test_a_draft_read_without_naming_the_reader_shows_no_article(mixed, personas):
    """The selectors' default reader is the public: a page that forgot to pass
    its user gets an empty draft, never another county's articles."""
    sections = selectors.issue_contents(mixed)
    assert sections and not any(s.articles.all() for s in sections)
    mine = selectors.issue_contents(mixed, reader=personas.reviewer)
    assert sum(len(s.articles.all()) for s in mine) == 4
    assert selectors.hidden_count(mine) == 6
    everything = selectors.issue_contents(mixed, reader=selectors.UNSCOPED)
    assert sum(len(s.articles.all()) for s in everything) == 10
