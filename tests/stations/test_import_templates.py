"""The import templates: an xlsx of Chinese column names per kind, which uploaded
back untouched has no rows."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.stations.import_helpers import KINDS, TEMPLATE_HEADERS, counts, text, upload


@pytest.mark.parametrize("kind", KINDS)
def test_template_is_an_xlsx_whose_header_row_is_the_chinese_column_names(
    login, personas, kind
):
    response = login(personas.editor).get(f"/staff/import/{kind}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"template-{kind}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header == TEMPLATE_HEADERS[kind]
    assert sheet.max_row == 1  # headers only, no sample data to import by mistake


@pytest.mark.parametrize("kind", KINDS)
def test_an_untouched_template_uploaded_back_says_it_has_no_rows(login, personas, kind):
    client = login(personas.superuser)
    template = client.get(f"/staff/import/{kind}/template.xlsx").content
    before = counts()
    response = upload(client, kind, SimpleUploadedFile("模板.xlsx", template))
    assert response.status_code == 400
    assert "文件中没有数据行" in text(response)
    assert counts() == before
