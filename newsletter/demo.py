"""The demo newsletter: the publication 云浮民政简报 of the demo city; the seed
(newsletter/data/seed_issue.txt) imported as a past issue, as the console
would, so the demo's public site opens on a real issue; and one draft for the
editor, assembled through the services from what assembly finds.

The demo's reports (activities/demo/) are the seed's stories, so the seed is
where their approved ones appeared: the demo records it (seed_reports_published),
and they are not assembled again. The draft holds the reports of the last weeks
(RECENT_REPORTS), filed, submitted and approved here through the services as
their authors and reviewers would.

Idempotent: a rerun finds the publication, the seed (its SHA-256), the recent
reports (unit and title) and the draft, and changes nothing."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from activities.demo import DemoReport, file_reports
from activities.models import (
    ActivityReport,
    Status,
)
from activities.services.reports import report_mark_published
from stations.models import City

from . import services
from .models import Article, Issue, Publication
from .services.assembly import article_title
from .services.legacy import issue_import

CITY_CODE = "445300"  # 云浮市
PUBLICATION = {
    "slug": "yunfu",
    "name": "云浮民政简报",
    "bureau": "云浮市民政局",
}
# The footer of the demo's public pages. Example values, not the bureau's real
# records: a bureau sets its own in the admin (README: the public footer).
FOOTER = {
    "sponsor": "云浮市民政局",
    "icp_record": "粤ICP备00000000号",
    "police_record": "粤公网安备44530200000000号",
    "site_code": "0000000000",
    "contact": "电话 0766-0000000（示例）",
}


def publication_for_demo() -> Publication | None:
    city = City.objects.filter(code=CITY_CODE).first()
    if city is None:
        return None
    publication, _created = Publication.objects.get_or_create(
        slug=PUBLICATION["slug"],
        defaults={
            "name": PUBLICATION["name"],
            "bureau": PUBLICATION["bureau"],
            "city": city,
            **FOOTER,
        },
    )
    if not any(getattr(publication, field) for field in FOOTER):
        # A demo made before the footer existed gets it; one set since is kept.
        for field, value in FOOTER.items():
            setattr(publication, field, value)
        publication.save(update_fields=list(FOOTER))
    return publication


def build_newsletter(stdout=None) -> Issue | None:
    """The seed imported and the reports it carried marked published, the
    recent reports filed, and a draft assembled from what assembly finds
    (with no dates: every approved report not yet in an issue)."""
    publication = publication_for_demo()
    if publication is None:
        if stdout:
            stdout.write("简报：没有云浮市，跳过。")
        return None
    seed = import_seed(stdout=stdout)
    if seed is not None:
        marked = seed_reports_published(seed)
        if stdout and marked:
            stdout.write(f"往期简报：{marked} 份演示报告记为刊登于 {seed.short_name}。")
    draft = publication.issues.filter(status=Issue.Status.DRAFT).first()
    if draft is not None:
        if stdout:
            stdout.write(f"简报：已有草稿 {draft}，未重复组稿。")
        return draft
    add_recent_reports(publication.city, stdout=stdout)
    editor = get_user_model().objects.filter(username="editor").first()
    if editor is None:
        return None
    try:
        draft = services.issue_assemble(publication=publication, by=editor)
    except ValidationError as exc:
        if stdout:
            stdout.write(f"简报：未建草稿：{' '.join(exc.messages)}")
        return None
    if stdout:
        stdout.write(
            f"简报：已从已通过、尚未刊登的报告组稿 {draft}"
            f"（{draft.articles.count()} 篇文章）。"
        )
    return draft


@transaction.atomic
def seed_reports_published(seed: Issue) -> int:
    """The seed was printed from the demo's approved reports before the portal
    held it: each of its articles whose title is the one assembly gives an
    approved report of the city (article_title) is made that report's article,
    and the report is marked published with the seed, as publishing it here
    would have done. Returns how many reports were marked now."""
    articles = {a.title: a for a in seed.articles.filter(source_report__isnull=True)}
    reports = ActivityReport.objects.filter(
        city_id=seed.publication.city_id,
        status=Status.APPROVED,
        published_at__isnull=True,
    ).select_related("county", "station__town__county")
    linked = []
    for report in reports:
        article = articles.get(article_title(report))
        if article is None:
            continue
        Article.objects.filter(pk=article.pk).update(
            source_report=report,
            source_title=report.title,
            source_subtitle=report.subtitle,
            source_body=report.body,
        )
        linked.append(report.pk)
    return report_mark_published(reports=linked, at=seed.published_at)


# --- Reports of the last weeks, for the draft -------------------------------------


RECENT_REPORTS = [
    DemoReport(
        unit=("city",),
        author="editor",
        reviewer="editor",
        title="全市“双百工程”社工站年度工作推进会召开",
        days_ago=9,
        kind="会议",
        categories=("社工",),
        partners=(),
        counts={"persons": 60},
        photos=("推进会现场",),
        body=(
            "为总结全市“双百工程”社工站（点）一年来的工作，部署下一阶段重点任务，云浮市民政局召开全市“双百工程”社工站年度工作推进会，各县（市、区）民政局分管负责同志、社工站站长参加会议。",
            "[照片1]",
            "会上，各县（市、区）围绕“六有”标准落实、服务对象走访、困难群众帮扶等工作作交流发言。会议要求，各地要持续做实做细兜底民生服务，推动社工服务向村（居）延伸。",
        ),
    ),
    DemoReport(
        unit=("county", "云城区"),
        author="reviewer",
        reviewer="editor",
        title="云城区民政局开展社工站服务质量督导",
        days_ago=15,
        kind="督导",
        categories=("社工",),
        partners=("社工机构",),
        counts={"persons": 24},
        photos=("督导组查阅服务台账",),
        body=(
            "为提升社工站服务质量，云城区民政局联合社工督导团队，到辖区各镇（街）社工站开展服务质量督导，查阅走访记录和服务台账，听取社工工作汇报。",
            "[照片1]",
            "督导组对台账规范、个案跟进等方面提出具体建议，要求各社工站及时整改，进一步规范服务流程。",
        ),
    ),
    DemoReport(
        unit=("station", "云城区", "安塘街道"),
        author="worker",
        reviewer="reviewer",
        title="开展冬季用电用火安全入户宣传",
        days_ago=6,
        kind="宣传",
        categories=("老年人", "独居/空巢老人"),
        partners=("村委", "志愿服务队"),
        counts={"persons": 36, "volunteers": 5},
        photos=("社工向长者讲解安全用电常识", "志愿者检查家中电线"),
        body=(
            "入冬以来，天气干燥，用电用火增多。为提升辖区长者的安全意识，安塘街道社工站联合村委和志愿服务队，走进村居开展冬季用电用火安全入户宣传。",
            "[照片1]",
            "社工和志愿者逐户讲解安全用电、用火常识，帮助长者检查家中电线、插座和取暖设备，提醒大家出门前关闭电源、燃气。",
            "[照片2]",
            "下一步，安塘街道社工站将继续关注独居、空巢长者的生活安全，定期走访，及时发现和解决他们的困难。",
        ),
    ),
    DemoReport(
        # 郁南县's reviewer reads the draft for this article (their county's).
        unit=("station", "郁南县", "平台镇"),
        author="admin",
        reviewer="reviewer_yunan",
        title="开展“温暖冬日 快乐成长”留守儿童小组活动",
        days_ago=12,
        kind="小组",
        categories=("留守儿童",),
        partners=("学校",),
        counts={"persons": 12},
        photos=("孩子们在社工带领下做手工",),
        body=(
            "为丰富留守儿童的课余生活，帮助他们学会表达和交往，平台镇社工站联合辖区学校开展“温暖冬日 快乐成长”留守儿童小组活动。",
            "[照片1]",
            "活动分为破冰游戏、手工制作和分享交流三个环节。孩子们在社工的带领下互相认识、合作完成手工作品，并说出自己的心愿。社工将持续跟进，定期开展小组活动。",
        ),
    ),
]


def add_recent_reports(city: City, stdout=None) -> int:
    """File, submit and approve the reports of RECENT_REPORTS that are not there
    yet, each by its author and reviewer (activities.demo.file_reports);
    returns how many were added. Without their demo users, none."""
    names = {r.author for r in RECENT_REPORTS} | {r.reviewer for r in RECENT_REPORTS}
    if get_user_model().objects.filter(username__in=names).count() < len(names):
        return 0
    with transaction.atomic():
        _reports, added = file_reports(city, RECENT_REPORTS)
    if stdout is not None and added:
        stdout.write(f"简报：新增近期已通过的活动报告 {added} 份，供组稿。")
    return added


# --- The seed, a past issue ---------------------------------------------------------

SEED = Path(__file__).resolve().parent / "data" / "seed_issue.txt"
# The seed says neither its year and number nor its date. It reports on
# February 2023 and its latest date is 2 March 2023: the March issue of a
# monthly newsletter, 2023年第3期, dated by the importer from that latest date.
SEED_YEAR = 2023
SEED_NUMBER = 3


def import_seed(stdout=None) -> Issue | None:
    publication = publication_for_demo()
    if publication is None:
        if stdout:
            stdout.write("往期简报：没有云浮市，跳过。")
        return None
    result = issue_import(
        publication=publication,
        source=SEED.read_bytes(),
        filename=SEED.name,
        by=None,
        year=SEED_YEAR,
        number=SEED_NUMBER,
    )
    if stdout:
        stdout.write(f"往期简报：{result.summary()}")
    return result.issue
