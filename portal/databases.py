"""The DATABASES setting, built from the environment by portal/settings.py."""

import dj_database_url


def databases(url: str, *, replica_url: str = "", conn_max_age: int = 60) -> dict:
    """``default`` from ``url``, and ``replica`` from ``replica_url`` when given
    (a PostgreSQL read replica for the public pages, portal/db_router.py,
    docs/scaling.md step 2; its tests use ``default``)."""
    default = dj_database_url.parse(
        url, conn_max_age=conn_max_age, conn_health_checks=True
    )
    options = default.setdefault("OPTIONS", {})
    if default["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite keeps no connection worth holding on to; a persistent one only
        # pins a file handle per thread under runserver.
        default["CONN_MAX_AGE"] = 0
        # One writer at a time: while a background job's batch holds the write
        # lock (embedded mode, core/jobs/), another write waits this long
        # (seconds) instead of failing after SQLite's default five.
        options.setdefault("timeout", 30)
        # Each transaction takes the write lock when it begins (BEGIN IMMEDIATE)
        # rather than at its first write. A deferred transaction that has read
        # cannot wait for the lock: SQLite refuses it at once ("database is
        # locked", the 503 page), whatever the timeout above, so two people
        # saving at the same moment made one of them fail. Read-only
        # transactions queue behind a writer too; the embedded mode has few.
        options.setdefault("transaction_mode", "IMMEDIATE")
    elif default["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: PostgreSQL compiles a plan whose estimated cost passes
        # jit_above_cost, and for this application's short aggregates the
        # compiling costs more than it saves (the county statistics dashboard at
        # province scale: 1,110 ms with JIT, 666 ms without;
        # bench/scale_staff.py). A DATABASE_URL ?options= wins.
        options.setdefault("options", "-c jit=off")
    found = {"default": default}
    if replica_url:
        replica = dj_database_url.parse(
            replica_url,
            conn_max_age=default["CONN_MAX_AGE"],
            conn_health_checks=True,
        )
        replica["OPTIONS"] = dict(options)
        replica["TEST"] = {"MIRROR": "default"}
        found["replica"] = replica
    return found
