"""``privacy_sweep``: the gate run again over what is published, and the one
step an editor takes for each finding (withdraw, hide, keep).

What the sweep is for is text that went public before the gate could see it:
a past issue imported before the gate read imports, a number spelled in a way
the earlier gate missed, a file opened after the issue came out. Tests that need
such text write it into the published article directly and say so: no service
publishes it any more."""

import io
import json

import pytest
from django.core.management import call_command

from newsletter import privacy, services
from newsletter.models import (
    Article,
    Issue,
    IssueCorrection,
    PrivacyFinding,
    PrivacyOverride,
    Section,
)
from tests.newsletter.conftest import D
from tests.newsletter.privacy_helpers import (
    GUARDIAN_PHONE,
    ID_NUMBER,
    PHONE,
    file_beneficiary,
    registered,
)

SPACED_ID = " ".join([ID_NUMBER[:6], ID_NUMBER[6:14], ID_NUMBER[14:]]).replace(
    " ", "\u3000"
)


@pytest.fixture
def published(approve, assemble, personas):
    """A published issue of two station articles, clean when it came out."""
    approve(
        "a1", "开展入户走访", D(2023, 2, 10), photos=1, body="社工走访困境儿童家庭。"
    )
    approve("a2", "开展敬老活动", D(2023, 2, 12), body="社工为长者理发。")
    issue = assemble()
    return services.issue_publish(issue=issue, by=personas.editor)


def _leak(article, body):
    # Text the gate of the day did not stop (see the module docstring).
    Article.objects.filter(pk=article.pk).update(body=f"<p>{body}</p>")


def _sweep(publication):
    return services.privacy_sweep(publication=publication)


def test_sweep_reports_numbers_and_names_masked_with_context(
    published, publication, personas, net
):
    registered(personas, net)  # 王小红, her ID, her phones, after publication
    first, second = published.articles.order_by("pk")
    _leak(first, f"走访王 小 红一家，监护人电话{GUARDIAN_PHONE}，证件号{SPACED_ID}。")
    report = _sweep(publication)
    assert (report.issues, report.articles, len(report.new)) == (1, 2, 3)
    findings = {f.kind: f for f in PrivacyFinding.objects.all()}
    assert set(findings) == {"name", "phone", "id_number"}
    assert findings["id_number"].masked == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert findings["name"].context.startswith("走访王**一家")
    for f in findings.values():
        assert f.article_id == first.pk and f.is_open
        text = f"{f.masked}{f.context}{f.article_title}{f.place}"
        for value in ("王小红", "王 小 红", ID_NUMBER, "8812345"):
            assert value not in text.replace("\u3000", "")


def test_sweep_is_idempotent_and_closes_what_is_gone(published, publication, net):
    first = published.articles.order_by("pk").first()
    _leak(first, f"证件号{SPACED_ID}，手机{PHONE}。")
    assert len(_sweep(publication).new) == 2
    again = _sweep(publication)
    assert (len(again.new), again.open) == (0, 2)
    assert PrivacyFinding.objects.count() == 2
    _leak(first, f"手机{PHONE}。")
    third = _sweep(publication)
    assert (len(third.new), third.open, third.gone) == (0, 1, 1)
    gone = PrivacyFinding.objects.get(kind="id_shaped")
    assert gone.resolution == PrivacyFinding.Resolution.GONE


def test_withdraw_takes_the_article_off_with_a_public_note_naming_no_one(
    published, publication, personas, client
):
    first, second = published.articles.order_by("pk")
    _leak(first, f"证件号{SPACED_ID}，手机{PHONE}。")
    _sweep(publication)
    finding = PrivacyFinding.objects.get(kind="id_shaped")
    services.finding_withdraw(finding=finding, by=personas.editor)
    assert not Article.objects.filter(pk=first.pk).exists()
    # Both findings of the article are closed, and still say why.
    assert set(PrivacyFinding.objects.values_list("resolution", flat=True)) == {
        "withdrawn"
    }
    correction = IssueCorrection.objects.get()
    assert "隐私复查" in correction.reason
    page = client.get(published.get_absolute_url()).content.decode()
    assert "开展入户走访" not in page.split("更正说明")[0]
    assert ID_NUMBER[6:14] not in page and "隐私复查" in page
    assert (
        client.get(f"/search/?q={PHONE[-4:]}")
        .content.decode()
        .count('class="nl-card-title"')
        == 0
    )


def test_the_last_article_cannot_be_withdrawn_but_can_be_hidden(
    approve, assemble, personas, publication
):
    approve("a1", "开展入户走访", D(2023, 2, 10), body="社工走访。")
    issue = services.issue_publish(issue=assemble(), by=personas.editor)
    article = issue.articles.get()
    _leak(article, f"手机{PHONE}。")
    _sweep(publication)
    finding = PrivacyFinding.objects.get()
    with pytest.raises(Exception, match="唯一的文章"):
        services.finding_withdraw(finding=finding, by=personas.editor)
    finding.refresh_from_db()
    assert finding.is_open
    services.finding_hide(finding=finding, by=personas.editor)
    article.refresh_from_db()
    assert PHONE not in article.body and "138****5678" in article.body


def test_hide_masks_every_stopped_value_and_drops_photos_without_consent(
    published, publication, personas, client
):
    first = published.articles.order_by("pk").first()
    _leak(first, f"证件号{SPACED_ID}，手机{PHONE}。")
    first.photos.update(shows_people=True, consent=False)
    Article.objects.filter(pk=first.pk).update(title="王小红家的变化")
    file_beneficiary(personas.worker, first.station, "王小红")
    _sweep(publication)
    assert PrivacyFinding.objects.filter(resolution="").count() == 4
    finding = PrivacyFinding.objects.get(kind="mobile")
    services.finding_hide(finding=finding, by=personas.editor)
    first.refresh_from_db()
    assert first.title == "王**家的变化"
    assert PHONE not in first.body and ID_NUMBER[6:14] not in first.body
    assert not first.photos.exists()
    assert not PrivacyFinding.objects.filter(resolution="").exists()
    assert privacy.blocking(privacy.issue_privacy_check(published)) == []
    correction = IssueCorrection.objects.get()
    assert "王小红" not in correction.summary and "王**" in correction.summary
    page = client.get(f"{published.get_absolute_url()}{first.pk}/").content.decode()
    assert "王小红" not in page and PHONE not in page


def test_keep_records_an_override_and_is_not_reported_again(
    published, publication, personas
):
    file_beneficiary(personas.worker, published.articles.first().station, "理发")
    report = _sweep(publication)
    [finding] = report.new
    assert finding.kind == "name"
    with pytest.raises(Exception, match="放行理由"):
        services.finding_keep(finding=finding, by=personas.editor, reason="是")
    services.finding_keep(
        finding=finding, by=personas.editor, reason="“理发”是服务，不是人名"
    )
    override = PrivacyOverride.objects.get()
    assert override.article_id == finding.article_id and override.masked == "理*"
    again = _sweep(publication)
    assert (len(again.new), again.open) == (0, 0)


def test_issue_texts_are_swept_and_hidden_as_a_correction(
    published, publication, personas
):
    section = published.sections.order_by("position").first()
    # A section title published before the gate read section titles.
    Section.objects.filter(pk=section.pk).update(title=f"动态{PHONE}")
    Issue.objects.filter(pk=published.pk).update(editor_note=f"联系{SPACED_ID}")
    report = _sweep(publication)
    assert sorted(f.where for f in report.new) == ["editor_note", "section"]
    for finding in PrivacyFinding.objects.filter(resolution=""):
        assert finding.article_id is None
        services.finding_hide(finding=finding, by=personas.editor)
    section.refresh_from_db()
    published.refresh_from_db()
    assert section.title == "动态138****5678"
    assert ID_NUMBER not in published.editor_note.replace("\u3000", "")
    assert IssueCorrection.objects.count() == 2
    assert _sweep(publication).open == 0


def test_only_the_publications_editors_act_on_findings(
    published, publication, personas
):
    _leak(published.articles.first(), f"手机{PHONE}。")
    _sweep(publication)
    finding = PrivacyFinding.objects.get()
    from django.core.exceptions import PermissionDenied

    for who in (personas.reviewer, personas.other_editor, personas.worker):
        for step in (services.finding_withdraw, services.finding_hide):
            with pytest.raises(PermissionDenied):
                step(finding=finding, by=who)
        with pytest.raises(PermissionDenied):
            services.finding_keep(finding=finding, by=who, reason="可以公开的号码")
    finding.refresh_from_db()
    assert finding.is_open


def test_command_prints_masked_findings_and_json(published, publication):
    _leak(published.articles.first(), f"证件号{SPACED_ID}，手机{PHONE}。")
    out = io.StringIO()
    call_command("privacy_sweep", stdout=out)
    text = out.getvalue()
    assert "待处理 2 处" in text and "/staff/issues/privacy/" in text
    assert PHONE not in text and ID_NUMBER not in text
    assert "138****5678" in text
    out = io.StringIO()
    call_command("privacy_sweep", "--publication", "jia", "--json", stdout=out)
    [data] = json.loads(out.getvalue())
    assert (data["publication"], data["new"], data["open"]) == ("jia", 0, 2)
    assert {f["kind"] for f in data["findings"]} == {"id_shaped", "mobile"}


def test_command_refuses_an_unknown_publication(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="找不到"):
        call_command("privacy_sweep", "--publication", "nope", stdout=io.StringIO())


# --- The findings page ---------------------------------------------------------


def _findings_of(published, n):
    """n open findings in the issue: one mobile number per line of the body."""
    phones = "".join(f"<p>手机139{i:08d}。</p>" for i in range(n))
    Article.objects.filter(pk=published.articles.first().pk).update(body=phones)
    services.privacy_sweep(publication=published.publication)


def test_findings_page_is_for_the_publications_editors_only(published, login, personas):
    _findings_of(published, 1)
    finding = PrivacyFinding.objects.get()
    for who in (
        personas.reviewer,
        personas.worker,
        personas.supervisor,
        personas.nobody,
    ):
        client = login(who)
        assert client.get("/staff/issues/privacy/").status_code == 404
        for step in ("withdraw", "hide", "keep"):
            url = f"/staff/issues/privacy/{finding.pk}/{step}/"
            assert client.post(url, {"reason": "可以公开的号码"}).status_code == 404
    # Another city's editor: the page exists, this finding does not.
    client = login(personas.other_editor)
    page = client.get("/staff/issues/privacy/").content.decode()
    assert "139****0000" not in page and "没有待处理" in page
    response = client.post(f"/staff/issues/privacy/{finding.pk}/hide/")
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.is_open


def test_findings_page_lists_and_acts(published, login, personas):
    _findings_of(published, 2)
    client = login(personas.editor)
    page = client.get("/staff/issues/privacy/").content.decode()
    assert "还有 2 处待处理" in page and "139****0000" in page
    assert "13900000000" not in page
    first = PrivacyFinding.objects.order_by("pk").first()
    response = client.post(
        f"/staff/issues/privacy/{first.pk}/keep/", {"reason": "短"}, follow=True
    )
    assert "放行理由" in response.content.decode()
    first.refresh_from_db()
    assert first.is_open
    response = client.post(
        f"/staff/issues/privacy/{first.pk}/keep/",
        {"reason": "社工站公开的服务热线"},
        follow=True,
    )
    assert "不再提示" in response.content.decode()
    last = PrivacyFinding.objects.filter(resolution="").get()
    response = client.post(f"/staff/issues/privacy/{last.pk}/hide/", follow=True)
    html = response.content.decode()
    assert "已隐去" in html and "没有待处理" in html and "最近处理" in html
    response = client.post("/staff/issues/privacy/sweep/", follow=True)
    assert "待处理 0 处" in response.content.decode()


def test_findings_page_queries_do_not_grow_with_findings(
    published, login, personas, django_assert_num_queries
):
    client = login(personas.editor)
    for n in (3, 25):
        PrivacyFinding.objects.all().delete()
        _findings_of(published, n)
        assert PrivacyFinding.objects.filter(resolution="").count() == n
        # 7 = session + user + scope; the open findings counted, and their
        # page with issue and publication; the publications for the sweep's
        # choice; the ten latest handled.
        with django_assert_num_queries(7):
            response = client.get("/staff/issues/privacy/")
        assert response.status_code == 200


def test_the_staff_home_tells_editors_what_waits(published, login, personas):
    _findings_of(published, 2)
    html = login(personas.editor).get("/staff/").content.decode()
    # The editor's to-do list: the open findings, counted, with their page.
    assert "待处理的隐私复查" in html and "查看全部 2 处" in html
    assert "/staff/issues/privacy/" in html
    html = login(personas.reviewer).get("/staff/").content.decode()
    assert "/staff/issues/privacy/" not in html
