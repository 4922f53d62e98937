"""Spreadsheet rows and files shared by the admin, export, import and command
tests of the report resource."""

import csv
import io

from activities.models import ActivityReport, ReportTransition

HEADERS = [
    "填报层级",
    "市",
    "县（市、区）",
    "镇（街道）",
    "标题",
    "开始日期",
    "结束日期",
    "活动类型",
    "服务对象类别",
    "合作单位",
    "服务人次",
    "户数",
    "人数",
    "志愿者人数",
    "服务时长",
    "正文",
]


def row(**values):
    """One import row as a list in HEADERS order; a good station row of 东镇
    (station a1, county 甲一区) unless told otherwise."""
    data = {
        "填报层级": "社工站",
        "市": "",
        "县（市、区）": "甲一区",
        "镇（街道）": "东镇",
        "标题": "开展敬老爱老活动",
        "开始日期": "2022-10-04",
        "结束日期": "",
        "活动类型": "社区活动",
        "服务对象类别": "老年人、独居/空巢老人",
        "合作单位": "村委、某某志愿协会",
        "服务人次": "30",
        "户数": "",
        "人数": "12",
        "志愿者人数": "5",
        "服务时长": "6.5",
        "正文": "社工站在东村开展敬老活动。",
    }
    data.update(values)
    return [data[h] for h in HEADERS]


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def counts():
    return (
        ActivityReport.objects.count(),
        ReportTransition.objects.count(),
        ActivityReport.categories.through.objects.count(),
        ActivityReport.partners.through.objects.count(),
    )
