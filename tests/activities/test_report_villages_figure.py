"""The report page's 覆盖的村（居） and its 数字核对 box count the same villages:
the one the activity took place in and those listed as reached, each once."""

import re

from django.utils.html import strip_tags


def _text(response):
    return re.sub(r"\s+", "", strip_tags(response.content.decode()))


def _covered_line(text):
    return re.search(r"覆盖的村（居）(.*?)(所属项目|填报人)", text).group(1)


def _figure_record(text):
    return re.search(r"本报告·覆盖的村（居）(\d+)个村（居）", text).group(1)


def test_place_village_alone_is_counted_on_both(
    login, personas, net, make_report, villages
):
    report = make_report(personas.worker, net.a1, village=villages["dongcun"])
    text = _text(login(personas.reviewer).get(f"/staff/reports/{report.pk}/"))
    assert _covered_line(text) == "1个村（居）：东镇东村"
    assert _figure_record(text) == "1"


def test_listed_villages_and_place_counted_once(
    login, personas, net, make_report, villages
):
    report = make_report(personas.worker, net.a1, village=villages["dongcun"])
    report.villages_reached.set([villages["dongcun"], villages["beicun"]])
    text = _text(login(personas.worker).get(f"/staff/reports/{report.pk}/"))
    assert _covered_line(text) == "2个村（居）：东镇东村、东镇北村"
    assert _figure_record(text) == "2"
    # The share of the town's villages uses the same two (东镇 has three: the
    # fixture also makes a village for the station's service point).
    assert "村（居）覆盖率2/3=67%" in text


def test_no_village_at_all(login, personas, net, make_report):
    report = make_report(personas.worker, net.a1)
    text = _text(login(personas.worker).get(f"/staff/reports/{report.pk}/"))
    assert _covered_line(text) == "—"
