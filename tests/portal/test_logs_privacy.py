"""No beneficiary's name, ID number or phone in any log line.

Drives the paths where beneficiary data flows (opening a file, searching the
list by ID number and by phone, a form sent back with an error next to them,
a 404 and a 500 on addresses carrying them in the query string, a beneficiary
import job that fails on a sheet holding them) with every record the root
logger receives at DEBUG formatted by the site's own formatters (JSON and
plain, portal/logging.py), and looks for them in every line. The loggers the
settings pin higher stay so (django.db.backends writes SQL parameters at
DEBUG): that pin is part of what keeps the logs clean."""

import datetime
import io
import logging

import pytest
from django.urls import path

from beneficiaries.models import Beneficiary
from beneficiaries.services import imports as file_imports
from core.models import Job
from portal.logging import JsonFormatter, PlainFormatter, RequestIdFilter
from portal.urls import (  # noqa: F401 - the handlers are read from this module
    handler404,
    handler500,
)
from portal.urls import urlpatterns as portal_patterns
from tests.beneficiaries.conftest import new_id
from tests.jobs.helpers import csv_upload, job_of

pytestmark = pytest.mark.django_db

NAME = "示例·欧阳秀英"
ID_NUMBER = new_id(datetime.date(2013, 4, 5), male=False)
PHONE = "13912345670"
PERSONAL = (NAME, ID_NUMBER, PHONE)
HEADERS = ["姓名", "身份证号", "联系电话", "镇（街道）", "村（居）", "服务对象类别"]


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("test-logs/boom/", boom), *portal_patterns]


class Lines(logging.Handler):
    """Every record formatted as the console handler writes it, both ways."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.formatters = (JsonFormatter(), PlainFormatter())
        self.records = []
        self.text = io.StringIO()

    def emit(self, record):
        self.records.append(record)
        for formatter in self.formatters:
            self.text.write(formatter.format(record) + "\n")


@pytest.fixture
def lines():
    root = logging.getLogger()
    handler = Lines()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def _assert_clean(lines):
    text = lines.text.getvalue()
    for value in PERSONAL:
        assert value not in text, f"{value} in the log:\n{text}"
    # The name's characters on their own, and the numbers in part, too.
    assert "欧阳秀英" not in text
    assert ID_NUMBER[-8:] not in text and PHONE[-8:] not in text


@pytest.mark.urls(__name__)
def test_beneficiary_data_never_reaches_a_log_line(
    login, personas, categories, lines, client, settings, monkeypatch
):
    settings.JOBS_INLINE_MAX_BYTES = 0  # the sheet goes to a background job
    client.raise_request_exception = False
    login(personas.worker)

    # Opening a file.
    response = client.post(
        "/staff/beneficiaries/new/",
        {
            "name": NAME,
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "opened_on": "2023-03-01",
            "categories": [categories["困境儿童"].pk],
        },
    )
    assert response.status_code == 302
    assert Beneficiary.objects.filter(id_number=ID_NUMBER).exists()

    # The staff list searched by the whole numbers (sent back to an address
    # without them, with a message) and by their last four, and by the name.
    for q in (ID_NUMBER, PHONE):
        response = client.get("/staff/beneficiaries/", {"q": q}, follow=True)
        assert response.status_code == 200
    for q in (ID_NUMBER[-4:], PHONE[-4:], NAME):
        assert client.get("/staff/beneficiaries/", {"q": q}).status_code == 200

    # A second file with the same person and a bad date: sent back, with errors.
    response = client.post(
        "/staff/beneficiaries/new/",
        {
            "name": NAME,
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "opened_on": "明天",
            "categories": ["0"],
        },
    )
    assert response.status_code == 200

    # A 404 and a 500 on addresses that carry the person in the query string.
    query = {"id_number": ID_NUMBER, "phone": PHONE, "name": NAME}
    assert client.get("/staff/beneficiaries/nowhere/", query).status_code == 404
    assert client.get("/test-logs/boom/", query).status_code == 500

    # A beneficiary import that fails: a library's message quoting the row it
    # could not take, as drivers and parsers do.
    def fails(dataset, **kwargs):
        row = dict(zip(dataset.headers, dataset[0], strict=True))
        raise ValueError(f"第 2 行无法写入：{row}")

    monkeypatch.setattr(file_imports, "import_files", fails)
    sheet = csv_upload(HEADERS, [[NAME, ID_NUMBER, PHONE, "东镇", "东村", "困境儿童"]])
    job = job_of(client.post("/staff/beneficiaries/import/", {"file": sheet}))
    assert job.status == Job.Status.FAILED

    # Each of those paths was heard: the warnings Django writes with the path,
    # the traceback of the 500, the job's failure.
    messages = [(r.name, r.getMessage()) for r in lines.records]
    assert ("django.request", "Not Found: /staff/beneficiaries/nowhere/") in messages
    assert ("django.request", "Internal Server Error: /test-logs/boom/") in messages
    # The job's lines name the job, not the request that started it.
    assert any(
        r.name == "core.jobs" and r.request_id == f"job-{job.pk}" for r in lines.records
    )
    _assert_clean(lines)
    # Nor do they rely on the formatters' masking: the records themselves,
    # formatted by the standard library, hold none of it.
    raw = "\n".join(logging.Formatter().format(r) for r in lines.records)
    for value in PERSONAL:
        assert value not in raw, f"{value} in a record:\n{raw}"


def test_formatters_mask_numbers_a_message_quotes(lines):
    logging.getLogger("portal.test").warning(
        "row refused: %s, %s", ID_NUMBER, "139-1234-5670"
    )
    try:
        raise ValueError(f"bad id {ID_NUMBER.lower()} or phone +86 {PHONE}")
    except ValueError:
        logging.getLogger("portal.test").exception("failed")
    text = lines.text.getvalue()
    assert ID_NUMBER not in text and ID_NUMBER.lower() not in text
    assert "139-1234-5670" not in text and PHONE not in text
    assert "[身份证号]" in text and "[手机号]" in text
