"""The seed's city training series (2022年度“双百工程”系列培训): five periods at the
city Party school between December 2022 and February 2023, 390 hours in all, each
demo social worker attending one period. Built through the training services;
a rerun leaves an existing series as it is.

The figures the portal computes from this attendance (trainees, person-times) are
smaller than the ones the seed's article typed (465 trainees, 3,260 person-times):
the demo has about 250 workers, not the city's 465."""

from __future__ import annotations

import datetime
from decimal import Decimal

from stations.models import SocialWorker

from ..models import Training
from ..services import training_attendance_set, training_create, training_session_add

TITLE = "2022年度“双百工程”系列培训"
TOPICS = [
    "“双百工程”岗前培训",
    "社会工作原理",
    "社区走访与动员",
    "个案救助精细化服务策略",
    "社区共治服务项目设计与管理",
]
PERIODS = 5
DAYS_PER_PERIOD = 10
HOURS_PER_DAY = Decimal("7.8")  # 5 periods x 10 days x 7.8 h = 390 h, as the seed says


def build_training(*, city, editor, report=None) -> Training:
    existing = Training.objects.filter(city=city, county=None, title=TITLE).first()
    if existing is not None:
        return existing
    training = training_create(
        training=Training(
            title=TITLE,
            city=city,
            place="云浮市委党校",
            description="包含“双百工程”岗前培训和“双百工程”社会工作专业培训，累计开展5期。",
            report=report,
        ),
        by=editor,
    )
    workers = list(
        SocialWorker.objects.filter(station__town__county__city=city).order_by("pk")
    )
    for period in range(PERIODS):
        first_day = datetime.date(2022, 12, 5) + datetime.timedelta(weeks=2 * period)
        attendees = workers[period::PERIODS]
        for day in range(DAYS_PER_PERIOD):
            session = training_session_add(
                training=training,
                by=editor,
                date=first_day + datetime.timedelta(days=day),
                topic=f"第{period + 1}期：{TOPICS[period]}",
                hours=HOURS_PER_DAY,
                teacher="东莞理工学院、广东医科大学、北京师范大学等高校专家",
            )
            training_attendance_set(session=session, workers=attendees, by=editor)
    return training
