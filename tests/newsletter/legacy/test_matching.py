"""Matching articles to the real Yunfu counties and stations: the seed's ten,
short names and aliases, and town names found in two counties."""

import pytest

from newsletter.legacy.matching import HIGH, MEDIUM, NONE, Gazetteer
from newsletter.legacy.reader import read_issue
from stations.models import Station


@pytest.fixture
def gazetteer(yunfu):
    return Gazetteer(yunfu.city)


def names(found):
    return (
        found.county.name if found.county else None,
        found.station.town.name if found.station else None,
    )


def match(gazetteer, title, body="", kind="station"):
    return gazetteer.match(title=title, text=f"{title}\n{body}", section_kind=kind)


def test_each_seed_article_matches_its_county_or_station(gazetteer, seed_bytes):
    issue = read_issue(seed_bytes)
    found = [
        gazetteer.match(title=a.title, text=a.text, section_kind=s.kind)
        for s in issue.sections
        for a in s.articles
    ]
    assert [names(m) for m in found] == [
        (None, None),
        ("云城区", None),
        ("云安区", None),
        ("新兴县", None),
        ("云城区", "安塘街道"),
        ("云安区", "富林镇"),
        ("新兴县", "六祖镇"),
        ("罗定市", "泗纶镇"),
        ("郁南县", "河口镇"),
        ("郁南县", "平台镇"),
    ]
    assert [m.confidence for m in found[1:]] == [HIGH] * 9
    assert "市级动态" in found[0].reason


def test_the_gazetteer_reads_the_city_once_and_matches_without_queries(
    yunfu, django_assert_num_queries
):
    # Counties, towns with their county, stations with their town and county.
    with django_assert_num_queries(3):
        gazetteer = Gazetteer(yunfu.city)
    with django_assert_num_queries(0):
        for _ in range(20):
            match(gazetteer, "罗定市泗纶镇社工站开展宣传活动")


@pytest.mark.parametrize(
    "title, body, expected",
    [
        ("太平镇社工站开展敬老活动", "社工走访了辖区长者。", (None, None)),
        ("罗定市太平镇社工站开展敬老活动", "", ("罗定市", "太平镇")),
        ("罗定太平社工站开展敬老活动", "", ("罗定市", "太平镇")),
        (
            "太平镇社工站开展敬老活动",
            "近日，新兴县太平镇社工站走访长者。",
            ("新兴县", "太平镇"),
        ),
        (
            "太平镇社工站开展敬老活动",
            "新兴县民政局领导出席。罗定市社工前来交流。",
            (None, None),
        ),
        ("河口社工站开展防溺水宣传", "社工走进校园。", (None, None)),
        (
            "河口社工站开展防溺水宣传",
            "郁南县河口镇社工站走进校园。",
            ("郁南县", "河口镇"),
        ),
        (
            "河口社工站开展防溺水宣传",
            "近日，河口街道社工站走进校园。",
            ("云城区", "河口街道"),
        ),
        ("河口街道社工站开展防溺水宣传", "", ("云城区", "河口街道")),
        ("郁南县河口社工站开展防溺水宣传", "", ("郁南县", "河口镇")),
    ],
)
def test_town_names_found_in_two_counties(gazetteer, title, body, expected):
    found = match(gazetteer, title, body)
    assert names(found) == expected
    if expected == (None, None):
        assert found.confidence == NONE
        assert "没有写明是哪个县（市、区），未匹配" in found.reason
    else:
        assert found.station == Station.objects.get(
            town__county__name=expected[0], town__name=expected[1]
        )


def test_the_ambiguity_reason_names_the_town_and_both_counties(gazetteer):
    found = match(gazetteer, "太平镇社工站开展敬老活动")
    assert (
        found.reason
        == "“太平镇”在新兴县、罗定市都有，文中没有写明是哪个县（市、区），未匹配。"
    )


def test_short_names_and_aliases_of_counties(gazetteer, yunfu):
    assert names(match(gazetteer, "云安民政织牢织密保护网", kind="county")) == (
        "云安区",
        None,
    )
    assert names(match(gazetteer, "罗定组织开展社工培训", kind="county")) == (
        "罗定市",
        None,
    )
    yunan = yunfu.county("郁南县")
    yunan.aliases = "南江民政、南江"
    yunan.save()
    found = match(Gazetteer(yunfu.city), "南江民政召开社工站站长会议", kind="county")
    assert names(found) == ("郁南县", None) and found.confidence == HIGH


def test_a_town_name_without_its_suffix_before_shegong(gazetteer):
    assert names(match(gazetteer, "安塘社工站开展助学行动")) == ("云城区", "安塘街道")
    # 云城 is the county's short name, and 云城街道 without 街道: followed by 社工
    # it is the street.
    assert names(match(gazetteer, "云城社工站开展助学行动")) == ("云城区", "云城街道")
    assert names(match(gazetteer, "云城民政组织培训", kind="county")) == (
        "云城区",
        None,
    )


def test_a_station_title_without_a_town_uses_the_body(gazetteer):
    found = match(
        gazetteer,
        "社工站开展“珍爱生命”宣传活动",
        "泗纶镇社工联合大同社工到泗纶镇高和村开展禁毒知识宣传活动。",
    )
    assert names(found) == ("罗定市", "泗纶镇") and found.confidence == MEDIUM
    assert "按正文匹配" in found.reason


def test_two_towns_in_a_title_match_no_station(gazetteer):
    found = match(gazetteer, "镇安镇、高村镇社工站联合开展宣传活动")
    assert names(found) == ("云安区", None)
    assert "多个镇（街道）" in found.reason
    found = match(gazetteer, "泗纶镇、河口镇社工站交流学习")
    assert names(found) == (None, None)


def test_a_town_without_station_matches_its_county(gazetteer, yunfu):
    Station.objects.filter(town__name="船步镇").delete()
    found = match(Gazetteer(yunfu.city), "罗定市船步镇开展慰问活动")
    assert names(found) == ("罗定市", None)
    assert "没有登记社工站" in found.reason


def test_county_section_with_two_counties_or_none(gazetteer):
    found = match(gazetteer, "云城区、云安区联合开展培训", kind="county")
    assert names(found) == (None, None) and "多个县（市、区）" in found.reason
    found = match(gazetteer, "全市开展培训", "此次培训在市委党校举办。", kind="county")
    assert names(found) == (None, None) and "没有找到" in found.reason


def test_other_sections_fall_back_to_the_county(gazetteer):
    found = match(gazetteer, "新兴县民政局开展督导", kind="other")
    assert names(found) == ("新兴县", None)
