"""Forms posted in another charset than UTF-8 (portal/middleware.py,
FormCharsetMiddleware): read in the charset they declare, or refused with a
400 page in Chinese (413 when too large); never a server error, with DEBUG on or off, with or
without a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from stations.models import Station
from tests import factories
from tests.fuzz.formfuzz import csrf_client, encode_form, post_body
from tests.fuzz.pageforms import page_form, valid_data

PASSWORD = "yunfu-demo-2023"

# A charset and a text it can write.
KNOWN = [
    ("gbk", "张三"),
    ("GBK", "张三"),
    ("gb18030", "张三𠀀"),
    ("gb2312", "张三"),
    ("big5", "張三"),
    ("utf-8", "张三"),
    ("UTF8", "张三"),
    ("latin-1", "Zoë"),
]
UNREADABLE = ["foo-bar", "", "base64", "rot13", "utf-16", "utf-7", "cp500"]


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


# --- The login page -----------------------------------------------------------------


@pytest.mark.parametrize(("charset", "text"), KNOWN)
def test_a_login_in_a_known_charset_reaches_the_form(db, debug, charset, text):
    client, token = csrf_client(raise_request_exception=False)
    body = encode_form(
        {"csrfmiddlewaretoken": token, "username": text, "password": "x"}, charset
    )
    response = post_body(client, reverse("login"), body, charset)
    assert response.status_code == 200
    # The form is shown again with the username as it was typed.
    assert f'value="{text}"' in response.content.decode()


@pytest.mark.parametrize(("charset", "text"), KNOWN)
def test_a_login_without_csrf_token_is_the_csrf_page(db, debug, charset, text):
    client, _token = csrf_client(raise_request_exception=False)
    body = encode_form({"username": text, "password": "x"}, charset)
    assert post_body(client, reverse("login"), body, charset).status_code == 403


@pytest.mark.parametrize(
    ("charset", "username"), [("gbk", "张伟"), ("gb18030", "张伟"), ("big5", "張偉")]
)
def test_a_chinese_username_signs_in_from_a_gbk_form(db, charset, username):
    user = factories.UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    body = encode_form({"username": username, "password": PASSWORD}, charset)
    response = post_body(client, reverse("login"), body, charset)
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200


@pytest.mark.parametrize("charset", UNREADABLE)
@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no-token"])
def test_an_unreadable_charset_is_a_400_page(db, debug, charset, with_token):
    client, token = csrf_client(raise_request_exception=False)
    data = {"username": "张三", "password": "x"}
    if with_token:
        data["csrfmiddlewaretoken"] = token
    response = post_body(client, reverse("login"), encode_form(data, "gbk"), charset)
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法读取提交的内容" in page
    assert "无法识别的文字编码" in page
    assert "没有保存或修改任何内容" in page


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        ("gbk", b"username=%FF%FF&password=x"),
        ("utf-8", b"username=%E5%BC&password=x"),
        (None, b"username=%FF&password=x"),
        ("gbk", b"username=\xff\xff&password=x"),
        ("big5", b"username=%80%80&password=x"),
    ],
    ids=["gbk-escaped", "utf8-cut", "undeclared", "gbk-raw", "big5"],
)
def test_bytes_invalid_in_the_charset_are_a_400_page(db, debug, charset, body):
    client, token = csrf_client(raise_request_exception=False)
    body += b"&csrfmiddlewaretoken=" + token.encode()
    response = post_body(client, reverse("login"), body, charset)
    assert response.status_code == 400
    assert "编码文字，无法读取" in response.content.decode()


def test_too_many_fields_are_the_413_page(db, debug, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=1" for n in range(20)).encode()
    response = post_body(Client(), reverse("login"), body, "gbk")
    assert response.status_code == 413
    assert "表单项太多" in response.content.decode()


def test_a_body_too_large_is_the_413_page(db, debug, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b"username=" + b"a" * 2000
    response = post_body(Client(), reverse("login"), body, "gbk")
    assert response.status_code == 413
    assert "提交的内容太多" in response.content.decode()


def test_the_400_page_follows_the_language_cookie(db, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_body(client, reverse("login"), b"username=x", "foo-bar")
    assert response.status_code == 400
    assert response["Content-Language"] == "en"


def test_an_upload_form_with_an_unreadable_charset_is_a_400_page(db, debug):
    response = Client(raise_request_exception=False).generic(
        "POST",
        reverse("login"),
        b"--B\r\nContent-Disposition: form-data; name=username\r\n\r\nx\r\n--B--\r\n",
        content_type="multipart/form-data; boundary=B; charset=foo-bar",
    )
    assert response.status_code == 400


def test_the_address_query_stays_utf8(db):
    # The page's own link (UTF-8) with a body in GBK: ?next= still reads right.
    user = factories.UserFactory(username="张伟")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    body = encode_form({"username": "张伟", "password": PASSWORD}, "gbk")
    url = reverse("login") + "?next=/stations/%E6%90%9C/"
    response = post_body(client, url, body, "gbk")
    assert response.status_code == 302
    assert response["Location"] == "/stations/%E6%90%9C/"


# --- A staff form -------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["gbk", "gb18030", "utf-8"])
def test_a_staff_form_in_gbk_saves_the_chinese_text(login, personas, net, charset):
    client = login(personas.editor)
    url = reverse("stations_staff:station_edit", args=[net.a1.pk])
    data = {**valid_data(page_form(client, url)), "name": "东镇社工服务站"}
    response = post_body(client, url, encode_form(data, charset), charset)
    assert response.status_code == 302
    assert Station.objects.get(pk=net.a1.pk).name == "东镇社工服务站"


@pytest.mark.parametrize("charset", ["foo-bar", "utf-16"])
def test_a_staff_form_in_an_unreadable_charset_changes_nothing(
    login, personas, net, debug, charset
):
    client = login(personas.editor)
    url = reverse("stations_staff:station_edit", args=[net.a1.pk])
    data = {**valid_data(page_form(client, url)), "name": "东镇社工服务站"}
    response = post_body(client, url, encode_form(data, "gbk"), charset)
    assert response.status_code == 400
    assert Station.objects.get(pk=net.a1.pk).name == "东镇社工站"
