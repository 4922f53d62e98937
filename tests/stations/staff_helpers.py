"""Shared pieces of the staff page tests (stations/views/staff.py): the Chinese
invalid-choice message, the page text, and a station form post."""

INVALID_CHOICE = "选择一个有效的选项"


def _html(response):
    return response.content.decode()


def _station_post(town, /, **overrides):
    data = {
        "town": town.pk,
        "name": "",
        "address": "新镇大道 1 号",
        "phone": "0766-1234567",
        "opened_on": "2024-03-01",
    }
    data.update(overrides)
    return data
