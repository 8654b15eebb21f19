"""rounds 0003: the stored figures' CSV rows become the file's text (issue 20). A round counted
before the deploy (a closed one is never counted again) downloads the same bytes after it, and
back again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from devplans import exports
from rounds.report import CSV_HEADER

BEFORE = [("rounds", "0002_closed_round_members")]
AFTER = [("rounds", "0003_tally_csv_text")]
ROWS = [
    ["Organisation", "", "", 3, 1, 33, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0],
    ["Directorate", "Medicine", "", 3, 1, 33, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0],
    ["Team", "Medicine", '=HYPERLINK("http://evil.example","x")', 2, 1, 50, 0, 0, 0, 0, 0, 0,
     "", 0, 0, 0, 0],
    ["Team", "Medicine", "Ward 7, \"North\"\nSiân's", 1, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0],
]  # fmt: skip


def _apps(executor, target):
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "rounds"]
    return executor.loader.project_state([*others, *target]).apps


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_stored_rounds_file_is_the_same_bytes_after_the_migration_and_back():
    executor = _migrate(BEFORE)
    try:
        old = _apps(executor, BEFORE)
        org = old.get_model("scopegrowth", "Organisation").objects.create(name="Trust C")
        day = dt.date(2026, 3, 1)
        round_ = old.get_model("rounds", "Round").objects.create(
            organisation=org, name="Closed before the deploy", state="closed",
            journal_ready_by=day, conversation_held_by=day, plan_agreed_by=day,
            opened_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
            closed_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        )  # fmt: skip
        old.get_model("rounds", "Tally").objects.create(
            round=round_, key="k", counted_at=round_.closed_at, html="<p>figures</p>", csv_rows=ROWS
        )
        sent_before = exports.csv_bytes(ROWS, CSV_HEADER)  # what the download sent from them

        executor = _migrate(AFTER)
        tally = _apps(executor, AFTER).get_model("rounds", "Tally").objects.get(round=round_.pk)
        assert tally.csv_text.encode("utf-8") == sent_before
        assert tally.html == "<p>figures</p>"

        executor = _migrate(BEFORE)
        tally = _apps(executor, BEFORE).get_model("rounds", "Tally").objects.get(round=round_.pk)
        assert exports.csv_bytes(tally.csv_rows, CSV_HEADER) == sent_before
    finally:  # never leave the database on the old schema for the tests after this one
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
