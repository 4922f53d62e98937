"""Staff pages of the newsletter, under /staff/issues/ (portal/urls.py)."""

from django.urls import path

from .views import (
    articles,
    issues,
    legacy,
    past_issues,
    publishing,
    sections,
    sweep,
    wechat,
)

app_name = "newsletter_staff"

urlpatterns = [
    path("issues/", issues.issue_list, name="issues"),
    path("issues/assemble/", issues.issue_assemble, name="assemble"),
    # Past issues brought in from their files.
    path("issues/import/", legacy.issue_import_upload, name="legacy_import"),
    path(
        "issues/import/confirm/",
        legacy.issue_import_confirm,
        name="legacy_import_confirm",
    ),
    path(
        "issues/import/<str:token>/preview/",
        legacy.issue_import_preview,
        name="legacy_import_preview",
    ),
    path(
        "issues/import/<str:token>/page/<int:number>.jpg",
        legacy.issue_import_page,
        name="legacy_import_page",
    ),
    path("issues/import/archive/", legacy.archive_upload, name="legacy_archive"),
    path("issues/privacy/", sweep.finding_list, name="privacy_findings"),
    path("issues/privacy/sweep/", sweep.sweep_run, name="privacy_sweep"),
    path(
        "issues/privacy/<int:pk>/withdraw/",
        sweep.finding_withdraw,
        name="finding_withdraw",
    ),
    path("issues/privacy/<int:pk>/hide/", sweep.finding_hide, name="finding_hide"),
    path("issues/privacy/<int:pk>/keep/", sweep.finding_keep, name="finding_keep"),
    path("issues/new/", issues.issue_new, name="issue_new"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue"),
    path("issues/<int:pk>/meta/", issues.issue_meta, name="issue_meta"),
    path(
        "issues/<int:pk>/running-number/",
        past_issues.issue_running_number,
        name="issue_running_number",
    ),
    path("issues/<int:pk>/add/", issues.issue_add_reports, name="add_reports"),
    path("issues/<int:pk>/articles/new/", articles.article_new, name="article_new"),
    path("issues/<int:pk>/sections/new/", sections.section_new, name="section_new"),
    path("issues/<int:pk>/preview/", issues.issue_preview, name="preview"),
    path(
        "issues/<int:pk>/preview/<int:article_pk>/",
        issues.article_preview,
        name="preview_article",
    ),
    path("issues/<int:pk>/privacy/", publishing.issue_privacy, name="privacy"),
    path(
        "issues/<int:pk>/privacy/override/",
        publishing.issue_privacy_override,
        name="privacy_override",
    ),
    path("issues/<int:pk>/publish/", publishing.issue_publish, name="publish"),
    path("issues/<int:pk>/correct/", publishing.issue_correct, name="correct"),
    path("issues/<int:pk>/print/", issues.issue_print, name="print"),
    path("issues/<int:pk>/word/", issues.issue_word, name="word"),
    path("issues/<int:pk>/word/job/", issues.issue_word_job, name="word_job"),
    # The WeChat (公众号) export of a published issue and article.
    path("issues/<int:pk>/wechat/", wechat.wechat_issue, name="wechat_issue"),
    path(
        "issues/<int:pk>/wechat/preview/",
        wechat.wechat_issue_html,
        name="wechat_issue_html",
    ),
    path(
        "issues/<int:pk>/wechat.zip", wechat.wechat_issue_zip, name="wechat_issue_zip"
    ),
    path(
        "issues/articles/<int:pk>/wechat/",
        wechat.wechat_article,
        name="wechat_article",
    ),
    path(
        "issues/articles/<int:pk>/wechat/preview/",
        wechat.wechat_article_html,
        name="wechat_article_html",
    ),
    path(
        "issues/articles/<int:pk>/wechat.zip",
        wechat.wechat_article_zip,
        name="wechat_article_zip",
    ),
    path(
        "issues/sections/<int:pk>/rename/",
        sections.section_rename,
        name="section_rename",
    ),
    path("issues/sections/<int:pk>/move/", sections.section_move, name="section_move"),
    path(
        "issues/sections/<int:pk>/delete/",
        sections.section_delete,
        name="section_delete",
    ),
    path("issues/articles/<int:pk>/", articles.article_edit, name="article_edit"),
    path("issues/articles/<int:pk>/move/", articles.article_move, name="article_move"),
    path(
        "issues/articles/<int:pk>/delete/",
        articles.article_delete,
        name="article_delete",
    ),
    # A picture a past issue's file named but did not hold.
    path(
        "issues/photos/<int:pk>/replace/",
        past_issues.missing_photo_replace,
        name="missing_photo_replace",
    ),
    path(
        "issues/photos/<int:pk>/remove/",
        past_issues.missing_photo_remove,
        name="missing_photo_remove",
    ),
]
