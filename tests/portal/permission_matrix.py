"""Expected status of every URL for each role (test_permission_matrix.py).

One row per URL name (or pattern, for unnamed URLs), one status per role in
ROLES order, for a GET of the URL filled with demo objects of 安塘街道社工站
(云城区) and 云浮's draft issue (see the test's docstring). How to read them:

- 302 for ``public`` on a staff page: the login page; on a POST-only action the
  login check comes first too.
- 404 where a role is outside the object's scope (DESIGN.md §4: "a request
  outside scope gets 404 (not 403) for objects"): ``worker_fulin`` and
  ``reviewer_yunan`` on 安塘's report, file and case; everyone but the city's
  editor (and the county reviewers, read-only) on the newsletter's staff pages.
- 403 where a role may not use a kind of page at all (no object involved):
  report forms for the supervisor and the superuser (who file for no unit),
  beneficiary forms for anyone outside a station (they read files, masked),
  imports and network management below the county level.
- 405 for a GET of an action that only accepts POST, once the role passed the
  checks that come before it.
- Admin: the rows are in permission_matrix_admin.py (see its docstring).
"""

from tests.portal.permission_matrix_admin import ADMIN_MATRIX

ROLES = [
    "public",
    "admin",
    "editor",
    "reviewer",
    "reviewer_yunan",
    "supervisor",
    "head",
    "worker",
    "worker_fulin",
]

# fmt: off
MATRIX: dict[str, str] = {
    # --- The public site, accounts and health --------------------------------------
    "healthz": "200 200 200 200 200 200 200 200 200",
    "home": "200 200 200 200 200 200 200 200 200",
    "language": "302 302 302 302 302 302 302 302 302",
    # A photo of 安塘's draft report: only those who may open the report.
    "media": "404 200 200 200 404 200 200 200 404",
    "login": "200 200 200 200 200 200 200 200 200",
    "logout": "405 405 405 405 405 405 405 405 405",
    "newsletter:archive": "200 200 200 200 200 200 200 200 200",
    "newsletter:article": "200 200 200 200 200 200 200 200 200",
    "newsletter:county_feed_atom": "200 200 200 200 200 200 200 200 200",
    "newsletter:county_feed_rss": "200 200 200 200 200 200 200 200 200",
    "newsletter:county_news": "200 200 200 200 200 200 200 200 200",
    "newsletter:feed_atom": "200 200 200 200 200 200 200 200 200",
    "newsletter:feed_rss": "200 200 200 200 200 200 200 200 200",
    "newsletter:issue": "200 200 200 200 200 200 200 200 200",
    "newsletter:print": "200 200 200 200 200 200 200 200 200",
    "newsletter:publication": "200 200 200 200 200 200 200 200 200",
    "newsletter:search": "200 200 200 200 200 200 200 200 200",
    "newsletter:station_news": "200 200 200 200 200 200 200 200 200",
    "newsletter:word": "200 200 200 200 200 200 200 200 200",
    "newsletter:year": "200 200 200 200 200 200 200 200 200",
    "password_change": "302 200 200 200 200 200 200 200 200",
    "password_change_done": "302 200 200 200 200 200 200 200 200",
    "password_reset": "200 200 200 200 200 200 200 200 200",
    "password_reset_complete": "200 200 200 200 200 200 200 200 200",
    "password_reset_confirm": "200 200 200 200 200 200 200 200 200",
    "password_reset_done": "200 200 200 200 200 200 200 200 200",
    "robots": "200 200 200 200 200 200 200 200 200",
    # The service worker (portal/offline.py): a public script, the same for all.
    "service_worker": "200 200 200 200 200 200 200 200 200",
    "set_language": "302 302 302 302 302 302 302 302 302",
    "sitemap": "200 200 200 200 200 200 200 200 200",
    "stations:directory": "200 200 200 200 200 200 200 200 200",
    "stations:station": "200 200 200 200 200 200 200 200 200",
    # --- Staff pages ------------------------------------------------------------------
    "beneficiaries_staff:beneficiaries": "302 200 200 200 200 200 200 200 200",
    "beneficiaries_staff:beneficiary": "302 200 200 200 404 200 200 200 404",
    "beneficiaries_staff:beneficiary_delete": "302 404 404 404 404 404 200 200 404",
    "beneficiaries_staff:beneficiary_edit": "302 404 404 404 404 404 200 200 404",
    "beneficiaries_staff:beneficiary_export": "302 200 200 200 200 200 200 200 200",
    "beneficiaries_staff:beneficiary_export_full": "302 403 403 403 403 403 200 200 200",
    "beneficiaries_staff:beneficiary_full": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:beneficiary_import": "302 403 403 403 403 403 200 200 200",
    "beneficiaries_staff:beneficiary_import_cancel": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:beneficiary_import_confirm": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:beneficiary_import_template": "302 403 403 403 403 403 200 200 200",
    "beneficiaries_staff:beneficiary_new": "302 403 403 403 403 403 200 200 200",
    "beneficiaries_staff:beneficiary_status": "302 404 404 404 404 404 200 200 404",
    "beneficiaries_staff:beneficiary_transfer": "302 404 404 404 404 404 200 200 404",
    "beneficiaries_staff:beneficiary_visit_new": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:case": "302 200 200 200 404 200 200 200 404",
    "beneficiaries_staff:case_close": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:case_edit": "302 404 404 404 404 404 200 200 404",
    "beneficiaries_staff:case_new": "302 404 404 404 404 404 200 200 404",
    "beneficiaries_staff:case_note_new": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:case_referral_new": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:caseload": "302 200 200 200 200 200 200 200 200",
    "beneficiaries_staff:cases": "302 200 200 200 200 200 200 200 200",
    "beneficiaries_staff:overdue": "302 200 200 200 200 200 200 200 200",
    # The phone's offline visit page and its list of people: station members only.
    "beneficiaries_staff:offline_people": "302 403 403 403 403 403 200 200 200",
    "beneficiaries_staff:visit_quick": "302 403 403 403 403 403 200 200 200",
    "activities_staff:photo_delete": "302 405 405 405 405 405 405 405 405",
    "activities_staff:photo_edit": "302 405 405 405 405 405 405 405 405",
    "activities_staff:photo_upload": "302 405 405 405 405 405 405 405 405",
    "activities_staff:project": "302 200 200 404 200 404 404 404 404",
    "activities_staff:project_edit": "302 200 200 404 200 404 404 404 404",
    "activities_staff:project_link": "302 405 405 405 405 405 405 405 405",
    "activities_staff:project_new": "302 200 200 200 200 403 200 403 403",
    "activities_staff:project_unlink": "302 405 405 405 405 405 405 405 405",
    "activities_staff:projects": "302 200 200 200 200 200 200 200 200",
    "activities_staff:report": "302 200 200 200 404 200 200 200 404",
    "activities_staff:report_approve": "302 405 405 405 405 405 405 405 405",
    "beneficiaries_staff:report_attendance": "302 404 404 404 404 404 200 200 404",
    "activities_staff:report_comment": "302 405 405 405 405 405 405 405 405",
    "activities_staff:report_edit": "302 200 404 404 404 404 200 200 404",
    "activities_staff:report_from_word": "302 403 200 200 200 403 200 200 200",
    "activities_staff:report_import": "302 200 200 200 200 403 403 403 403",
    "activities_staff:report_import_template": "302 200 200 200 200 403 403 403 403",
    "activities_staff:report_new": "302 403 200 200 200 403 200 200 200",
    "activities_staff:report_return": "302 405 405 405 405 405 405 405 405",
    "activities_staff:report_submit": "302 405 405 405 405 405 405 405 405",
    "activities_staff:report_withdraw": "302 405 405 405 405 405 405 405 405",
    "activities_staff:reports": "302 200 200 200 200 200 200 200 200",
    "activities_staff:review": "302 200 200 200 200 403 403 403 403",
    "stats_staff:stats": "302 200 200 200 200 200 200 200 200",
    "stats_staff:stats_export": "302 200 200 200 200 200 200 200 200",
    "activities_staff:stats_figures": "302 200 200 200 200 200 200 200 200",
    "activities_staff:training": "302 200 200 404 404 404 404 404 404",
    "activities_staff:training_attendance": "302 200 200 404 404 404 404 404 404",
    "activities_staff:training_edit": "302 200 200 404 404 404 404 404 404",
    "activities_staff:training_hours": "302 200 200 200 200 200 200 200 200",
    "activities_staff:training_new": "302 200 200 200 200 403 403 403 403",
    "activities_staff:training_session_delete": "302 405 405 405 405 405 405 405 405",
    "activities_staff:training_session_edit": "302 200 200 404 404 404 404 404 404",
    "activities_staff:training_session_new": "302 200 200 404 404 404 404 404 404",
    "activities_staff:trainings": "302 200 200 200 200 200 200 200 200",
    "newsletter_staff:legacy_archive": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:legacy_import": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:legacy_import_confirm": "302 405 405 404 404 404 404 404 404",
    # An unknown or spent token sends the editor back to the upload page.
    "newsletter_staff:legacy_import_preview": "302 302 302 404 404 404 404 404 404",
    "newsletter_staff:legacy_import_page": "302 404 404 404 404 404 404 404 404",
    "newsletter_staff:missing_photo_replace": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:missing_photo_remove": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:issue_running_number": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:add_reports": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:article_delete": "302 405 405 405 405 404 404 404 404",
    # The draft's first article is the city's (市级动态): a county reviewer
    # reads only the county's articles of a draft, so both get a 404 for it.
    "newsletter_staff:article_edit": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:article_move": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:article_new": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:assemble": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:correct": "302 302 302 404 404 404 404 404 404",
    "newsletter_staff:issue": "302 200 200 200 200 404 404 404 404",
    "newsletter_staff:issue_meta": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:issue_new": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:issues": "302 200 200 200 200 404 404 404 404",
    "newsletter_staff:preview": "302 200 200 200 200 404 404 404 404",
    "newsletter_staff:preview_article": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:print": "302 200 200 200 200 404 404 404 404",
    "newsletter_staff:privacy": "302 200 200 200 200 404 404 404 404",
    # The privacy sweep's findings and their actions: the publication's editors
    # only (a county reviewer reads drafts, not the city's findings).
    "newsletter_staff:privacy_findings": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:privacy_sweep": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:finding_hide": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:finding_keep": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:finding_withdraw": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:privacy_override": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:publish": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:section_delete": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:section_move": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:section_new": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:section_rename": "302 405 405 405 405 404 404 404 404",
    "newsletter_staff:word": "302 200 200 200 200 404 404 404 404",
    "newsletter_staff:word_job": "302 405 405 405 405 404 404 404 404",
    # The WeChat export of the published issue and its first article: the
    # publication's editors only (a county reviewer reads drafts, never these).
    "newsletter_staff:wechat_article": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:wechat_article_html": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:wechat_article_zip": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:wechat_issue": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:wechat_issue_html": "302 200 200 404 404 404 404 404 404",
    "newsletter_staff:wechat_issue_zip": "302 200 200 404 404 404 404 404 404",
    "staff:home": "302 200 200 200 200 200 200 200 200",
    # Each user's own notifications. The one opened is the worker's (opening it
    # goes to its link); anyone else's is a 404. Marking read is a POST.
    "notifications:list": "302 200 200 200 200 200 200 200 200",
    "notifications:open": "302 404 404 404 404 404 404 302 404",
    "notifications:preferences": "302 200 200 200 200 200 200 200 200",
    "notifications:read": "302 405 405 405 405 405 405 405 405",
    # The offline queue's token and key: JSON, 403 without a session (no login page).
    "staff:offline_key": "403 200 200 200 200 200 200 200 200",
    "staff:offline_token": "403 200 200 200 200 200 200 200 200",
    "stations_staff:follow_up_done": "302 405 405 405 405 405 405 405 405",
    "stations_staff:import_confirm": "302 405 405 405 405 403 403 403 403",
    "stations_staff:import_index": "302 200 200 200 200 403 403 403 403",
    "stations_staff:import_template": "302 200 200 200 200 403 403 403 403",
    "stations_staff:import_upload": "302 200 200 200 200 403 403 403 403",
    "core_staff:job": "302 200 200 404 404 404 404 404 404",
    "core_staff:job_confirm": "302 405 405 405 405 405 405 405 405",
    "core_staff:job_download": "302 200 200 404 404 404 404 404 404",
    "core_staff:job_retry": "302 405 405 405 405 405 405 405 405",
    "core_staff:job_status": "302 200 200 404 404 404 404 404 404",
    "core_staff:jobs": "302 200 200 200 200 200 200 200 200",
    "stations_staff:point_delete": "302 405 405 405 405 405 405 405 405",
    "stations_staff:point_edit": "302 200 200 200 404 404 200 404 404",
    "stations_staff:point_new": "302 200 200 200 404 404 200 404 404",
    "stations_staff:standards_new": "302 200 200 200 404 200 404 404 404",
    "stations_staff:station": "302 200 200 200 404 200 200 200 404",
    "stations_staff:station_edit": "302 200 200 200 404 404 404 404 404",
    "stations_staff:station_new": "302 200 200 200 200 403 403 403 403",
    "stations_staff:stations": "302 200 200 200 200 200 200 200 200",
    "stations_staff:visit_new": "302 200 200 200 404 200 404 404 404",
    "stations_staff:worker_edit": "302 200 200 200 404 404 404 404 404",
    "stations_staff:worker_new": "302 200 200 200 200 403 403 403 403",
    "stations_staff:workers": "302 200 200 200 200 200 200 200 200",
    # --- The admin (permission_matrix_admin.py) ---------------------------------------
    **ADMIN_MATRIX,
}
# fmt: on
