"""Trainings and sessions built through the services, and the personas, shared
by the training test modules."""

from activities import services
from activities.models import Training


def _training(by, city, county=None, title="2022年度“双百工程”系列培训"):
    return services.training_create(
        training=Training(title=title, city=city, county=county, place="云浮市委党校"),
        by=by,
    )


def _session(training, by, date, hours, topic="社会工作原理"):
    return services.training_session_add(
        training=training, by=by, date=date, topic=topic, hours=hours
    )
