def test_healthz_reports_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_links_to_station_directory(client, db, django_assert_num_queries):
    # 3 = the latest issue of each publication, the latest articles and the
    # counties with news: the newsletter's home page with nothing
    # published; tests/newsletter/public/ pins it with issues.
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200
    assert 'href="/stations/"' in response.content.decode()


def test_staff_home_requires_login(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_interface_is_chinese_whatever_the_browser_asks(client, db):
    response = client.get("/stations/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-CN">' in response.content.decode()
    assert "社工站名录" in response.content.decode()


def test_english_interface_is_available_on_request(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Station directory" in response.content.decode()
