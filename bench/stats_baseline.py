"""The baseline of the statistics dashboard benchmark: the dashboard's
aggregates written by hand as one SQL statement. Imported after
django.setup()."""

from django.db import connection


class Statement:
    """SQL text and its parameters, built in the order the placeholders appear."""

    def __init__(self):
        self.params = []

    def p(self, *values) -> str:
        self.params.extend(values)
        return ", ".join(["%s"] * len(values))


WIDTH = 11  # numeric columns of every row of the union


def _row(part: str, k1: str, k2: str, *values: str) -> str:
    # Typed padding: PostgreSQL reads a bare NULL in a subquery as text.
    values = list(values) + ["CAST(NULL AS NUMERIC)"] * (WIDTH - len(values))
    return f"SELECT '{part}', {k1}, {k2}, {', '.join(values)}"


def baseline(
    county_id: int | None, period, today, *, city_id=None, province=False
) -> Statement:
    """The dashboard's aggregates for a county reviewer as one statement: a
    UNION ALL of the same grouped selects, written by hand. With ``city_id``
    (and no county) the same for a whole city, with ``province`` for every
    city, still grouped by station where those dashboards group by county or
    city (bench/scale_staff.py)."""
    from stats.period import add_months
    from stats.timeliness import deadline, due_months

    s = Statement()
    first, after = period.first_day, period.after
    pg = connection.vendor == "postgresql"

    def county_is(col):
        # The unit as a condition on a county column.
        if province:
            return "1 = 1"
        if city_id is None:
            return f"{col} = {s.p(county_id)}"
        return (
            f"{col} IN (SELECT c.id FROM stations_county c "
            f"WHERE c.city_id = {s.p(city_id)})"
        )

    def unit_reports(a):
        # A city's own reports include those its bureau filed (no county).
        if province:
            return "1 = 1"
        if city_id is None:
            return f"{a}.county_id = {s.p(county_id)}"
        return f"{a}.city_id = {s.p(city_id)}"

    def month(col):
        return f"to_char({col}, 'YYYY-MM')" if pg else f"strftime('%%Y-%%m', {col})"

    def approved(a):
        return (
            f"{a}.status = 'approved' AND {unit_reports(a)} "
            f"AND {a}.start_date >= {s.p(first)} AND {a}.start_date < {s.p(after)}"
        )

    def in_county(station_col):
        return (
            f"{station_col} IN (SELECT s.id FROM stations_station s JOIN stations_town t "
            f"ON t.id = s.town_id WHERE {county_is('t.county_id')})"
        )

    sums = [
        "COUNT(*)",
        *(f"SUM(a.{c})" for c in ("person_times", "households", "persons")),
        "SUM(a.volunteers)",
        "SUM(a.service_hours)",
        *(
            f"COUNT(a.{c})"
            for c in ("person_times", "households", "persons", "volunteers")
        ),
        "COUNT(a.service_hours)",
    ]
    parts = []
    # Reports: by month and kind, the kinds, by station.
    parts.append(
        _row(
            "month_kind",
            f"CAST({month('a.start_date')} AS TEXT)",
            "CAST(a.kind_id AS TEXT)",
            *sums,
        )
        + f" FROM activities_activityreport a WHERE {approved('a')} GROUP BY 2, 3"
    )
    parts.append(
        _row("kind", "CAST(k.id AS TEXT)", "k.name", "k.display_order")
        + " FROM activities_activitykind k"
    )
    parts.append(
        _row("station", "CAST(a.station_id AS TEXT)", "NULL", *sums)
        + f" FROM activities_activityreport a WHERE {approved('a')} GROUP BY 2"
    )
    # Villages of the county's towns, reached or not.
    reached = (
        "v.id IN (SELECT r.village_id FROM activities_activityreport_villages_reached r "
        "WHERE r.activityreport_id IN (SELECT a.id FROM activities_activityreport a "
        f"WHERE {approved('a')})) OR v.id IN (SELECT a.village_id FROM "
        f"activities_activityreport a WHERE {approved('a')} AND a.village_id IS NOT NULL)"
    )
    parts.append(
        _row(
            "villages",
            "CAST(v.town_id AS TEXT)",
            "CAST(t.county_id AS TEXT)",
            "COUNT(*)",
            f"COUNT(CASE WHEN {reached} THEN 1 END)",
        )
        + " FROM stations_village v JOIN stations_town t ON t.id = v.town_id "
        f"WHERE {county_is('t.county_id')} GROUP BY v.town_id, t.county_id"
    )
    # Timeliness: received and on time by station and month; the late reports.
    months = due_months(period, today)
    ops = connection.ops

    def on_time():
        return " OR ".join(
            f"(a.start_date >= {s.p(m)} AND a.start_date < {s.p(add_months(m, 1))} "
            f"AND a.submitted_at < {s.p(ops.adapt_datetimefield_value(deadline(m)))})"
            for m in months
        )

    def received():
        return (
            f"{county_is('a.county_id')} AND a.level = 'station' AND a.status IN "
            f"('submitted', 'approved') AND a.start_date >= {s.p(months[0])} "
            f"AND a.start_date < {s.p(add_months(months[-1], 1))}"
        )

    parts.append(
        _row(
            "timeliness",
            "CAST(a.station_id AS TEXT)",
            f"CAST({month('a.start_date')} AS TEXT)",
            "COUNT(*)",
            f"COUNT(CASE WHEN {on_time()} THEN 1 END)",
        )
        + f" FROM activities_activityreport a WHERE {received()} GROUP BY 2, 3"
    )
    parts.append(
        "SELECT * FROM ("
        + _row("late", "CAST(a.id AS TEXT)", "a.title", "a.station_id")
        + " FROM activities_activityreport a JOIN stations_station st ON st.id = "
        "a.station_id JOIN stations_town tw ON tw.id = st.town_id "
        f"WHERE {received()} AND NOT ({on_time()}) "
        "ORDER BY tw.display_order, a.start_date, a.id LIMIT 100) late"
    )
    # The network: stations with points, active workers and standards met at
    # the latest check; workers by post and qualification; training.
    latest = (
        "(SELECT c.id FROM stations_standardscheck c WHERE c.station_id = st.id "
        "ORDER BY c.checked_on DESC, c.id DESC LIMIT 1)"
    )
    parts.append(
        _row(
            "stations",
            "CAST(st.id AS TEXT)",
            "st.name",
            "(SELECT COUNT(*) FROM stations_servicepoint sp WHERE sp.station_id = st.id)",
            "(SELECT COUNT(*) FROM stations_socialworker w WHERE w.station_id = st.id "
            "AND w.status = '在岗')",
            f"(SELECT COUNT(*) FROM stations_standardscheckitem i WHERE i.met = "
            f"{s.p(True)} AND i.check_record_id = {latest})",
        )
        + " FROM stations_station st JOIN stations_town tw ON tw.id = st.town_id "
        f"WHERE {county_is('tw.county_id')}"
    )
    parts.append(
        _row("workers", "w.post_type", "w.qualification", "COUNT(*)")
        + f" FROM stations_socialworker w WHERE {in_county('w.station_id')} "
        "AND w.status = '在岗' GROUP BY w.post_type, w.qualification"
    )
    training_from = (
        " FROM activities_trainingattendance ta JOIN activities_trainingsession ts "
        "ON ts.id = ta.session_id JOIN stations_socialworker w ON w.id = ta.worker_id "
    )

    def training_where():
        return (
            f"WHERE {in_county('w.station_id')} AND ts.date >= {s.p(first)} "
            f"AND ts.date < {s.p(after)}"
        )

    parts.append(
        _row(
            "training",
            "NULL",
            "NULL",
            "COUNT(DISTINCT ts.training_id)",
            "COUNT(DISTINCT ta.session_id)",
            "COUNT(DISTINCT ta.worker_id)",
            "COUNT(*)",
            "SUM(ts.hours)",
        )
        + training_from
        + training_where()
    )
    parts.append(
        _row(
            "training_station",
            "CAST(w.station_id AS TEXT)",
            "NULL",
            "COUNT(DISTINCT ta.worker_id)",
            "COUNT(*)",
            "SUM(ts.hours)",
        )
        + training_from
        + training_where()
        + " GROUP BY w.station_id"
    )
    # People: categories, files by category, distinct totals, attendance,
    # files by station with overdue ones, visits, cases.

    def served(col):
        return (
            f"({col} IN (SELECT at.beneficiary_id FROM activities_attendance at WHERE "
            "at.report_id IN (SELECT a.id FROM activities_activityreport a WHERE "
            f"{approved('a')})) OR {col} IN (SELECT vi.beneficiary_id FROM "
            "activities_visit vi JOIN activities_beneficiary vb ON vb.id = "
            f"vi.beneficiary_id WHERE {in_county('vb.station_id')} AND vi.date >= "
            f"{s.p(first)} AND vi.date < {s.p(after)}))"
        )

    parts.append(
        _row("category", "CAST(c.id AS TEXT)", "c.name", "c.display_order")
        + " FROM activities_beneficiarycategory c"
    )
    parts.append(
        _row(
            "by_category",
            "CAST(bc.beneficiarycategory_id AS TEXT)",
            "NULL",
            "COUNT(DISTINCT CASE WHEN b.status = 'active' THEN b.id END)",
            f"COUNT(DISTINCT CASE WHEN {served('bc.beneficiary_id')} "
            "THEN bc.beneficiary_id END)",
        )
        + " FROM activities_beneficiary_categories bc JOIN activities_beneficiary b "
        f"ON b.id = bc.beneficiary_id WHERE {in_county('b.station_id')} "
        "GROUP BY bc.beneficiarycategory_id"
    )

    # The unit's own visits and category links, as the dashboard narrows them
    # (stats/beneficiaries.py, _served_q).
    def bare():
        return (
            "b.id NOT IN (SELECT x.beneficiary_id FROM activities_beneficiary_categories"
            " x JOIN activities_beneficiary xb ON xb.id = x.beneficiary_id WHERE "
            f"{in_county('xb.station_id')})"
        )

    parts.append(
        _row(
            "people",
            "NULL",
            "NULL",
            "COUNT(CASE WHEN b.status = 'active' THEN 1 END)",
            f"COUNT(CASE WHEN {served('b.id')} THEN 1 END)",
            f"COUNT(CASE WHEN b.status = 'active' AND {bare()} THEN 1 END)",
            f"COUNT(CASE WHEN {bare()} AND {served('b.id')} THEN 1 END)",
        )
        + f" FROM activities_beneficiary b WHERE {in_county('b.station_id')}"
    )
    attendance = (
        " FROM activities_attendance at JOIN activities_activityreport a "
        "ON a.id = at.report_id WHERE "
    )
    counts = [
        "COUNT(DISTINCT at.beneficiary_id)",
        "COUNT(*)",
        "COUNT(DISTINCT at.report_id)",
    ]
    parts.append(
        _row("attendance", "NULL", "NULL", *counts) + attendance + approved("a")
    )
    parts.append(
        _row("attendance_station", "CAST(a.station_id AS TEXT)", "NULL", *counts)
        + attendance
        + approved("a")
        + " GROUP BY a.station_id"
    )
    contact = "COALESCE(f.last, f.opened_on)"
    if pg:
        due = f"{contact} < CAST({s.p(today)} AS date) - f.period"
    else:
        due = f"{contact} < date({s.p(today.isoformat())}, '-' || f.period || ' days')"
    parts.append(
        _row(
            "files",
            "CAST(f.station_id AS TEXT)",
            "NULL",
            "COUNT(*)",
            f"COUNT(CASE WHEN f.period IS NOT NULL AND {due} THEN 1 END)",
            "COUNT(CASE WHEN f.last IS NULL THEN 1 END)",
        )
        + " FROM (SELECT b.station_id, b.opened_on, (SELECT MAX(vi.date) FROM "
        "activities_visit vi WHERE vi.beneficiary_id = b.id) AS last, (SELECT "
        "MIN(c.visit_every_days) FROM activities_beneficiary_categories bc JOIN "
        "activities_beneficiarycategory c ON c.id = bc.beneficiarycategory_id WHERE "
        "bc.beneficiary_id = b.id) AS period FROM activities_beneficiary b WHERE "
        f"{in_county('b.station_id')} AND b.status = 'active') f GROUP BY f.station_id"
    )
    parts.append(
        _row(
            "visits",
            "CAST(b.station_id AS TEXT)",
            "NULL",
            *(
                f"COUNT(CASE WHEN vi.kind = '{k}' THEN 1 END)"
                for k in ("home", "phone", "office")
            ),
            "COUNT(DISTINCT vi.beneficiary_id)",
        )
        + " FROM activities_visit vi JOIN activities_beneficiary b ON b.id = "
        f"vi.beneficiary_id WHERE {in_county('b.station_id')} AND vi.date >= "
        f"{s.p(first)} AND vi.date < {s.p(after)} GROUP BY b.station_id"
    )
    opened = f"c.opened_on >= {s.p(first)} AND c.opened_on < {s.p(after)}"
    closed = (
        f"c.status = 'closed' AND c.closed_on >= {s.p(first)} AND c.closed_on < "
        f"{s.p(after)}"
    )
    parts.append(
        _row(
            "cases",
            "CAST(b.station_id AS TEXT)",
            "NULL",
            f"COUNT(CASE WHEN {opened} THEN 1 END)",
            "COUNT(CASE WHEN c.status = 'open' THEN 1 END)",
            "COUNT(CASE WHEN c.status = 'in_progress' THEN 1 END)",
            f"COUNT(CASE WHEN {closed} THEN 1 END)",
        )
        + " FROM activities_case c JOIN activities_beneficiary b ON b.id = "
        f"c.beneficiary_id WHERE {in_county('b.station_id')} GROUP BY b.station_id"
    )
    s.sql = "\nUNION ALL\n".join(parts)
    return s


def run_baseline(statement) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return cursor.fetchall()
