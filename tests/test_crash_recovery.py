"""Crash in the middle: a scheduled run killed with SIGKILL resumes to the same state.

Production servers die mid-run (out of memory, a redeploy, a node lost). The health
recompute, the cadence reminders and the SLA run commit their work in batches; a run
killed between two batches must be finished by the next one with no duplicate and no
lost row. For each run this test prepares one database (addons, generated volume),
copies it twice, runs the scheduled work uninterrupted on one copy, and on the other
kills the process (``kill -9``) after its first committed batch and runs it again. The
final states compare equal. The generators are those of the benchmarks
(``data/generators``).

The database server restarts too (a failover, an upgrade, a crash of PostgreSQL): the
last test restarts PostgreSQL while the SLA run and a few writers (salespeople logging
follow-ups) work, then runs them again. The SLA run ends in the state of an
uninterrupted run and every follow-up exists once. It restarts a throwaway cluster of
its own (``initdb`` in the system temp folder, on a free port), never the shared one.

CI runs a short version (a few thousand records). ``CRM_STD_CRASH_LONG=1`` runs the
long one: ten times the volume, more writers.
"""

import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import psycopg2

from tests.odoo_cli import (
    ADDONS,
    REPO_ROOT,
    copy_db,
    copy_template,
    drop_db,
    free_port,
    log_errors,
    odoo,
    odoo_command,
    query,
    template_db,
)

LONG = os.environ.get("CRM_STD_CRASH_LONG") == "1"
SIZE = 30000 if LONG else 3000  # customers / leads generated; runs go in batches of BATCH
BATCH = 200
# Leads with a running SLA timer; half of them late. An escalation schedules an activity
# for a person (with its notification): the slowest step, where the runs are cut.
SLA_SIZE = 8000 if LONG else 160
SLA_BATCH = BATCH if LONG else 20
WRITERS = 6 if LONG else 3  # concurrent writers during the PostgreSQL restart
WRITES = 400 if LONG else 30  # follow-ups each writer logs

GENERATE = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT)!r})
from data.generators import health, cadence
health.generate(env, size={SIZE})
cadence.generate(env.cr, {SIZE}, due_share=0.5)
env.cr.commit()
"""

HEALTH_RUN = f"""
from odoo import fields
params = env["ir.config_parameter"].sudo()
started = params.get_param("crm_health_score.crash_test_start")
if not started:
    started = fields.Datetime.to_string(fields.Datetime.now())
    params.set_param("crm_health_score.crash_test_start", started)
    env.cr.commit()
env["crm.health.engine"]._run(fields.Datetime.to_datetime(started), commit=True, batch_size={BATCH})
env.cr.commit()
"""

CADENCE_RUN = f"""
env["crm.cadence.rule"]._cron_create_due_activities(batch_size={BATCH})
env.cr.commit()
"""

GENERATE_SLA = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT)!r})
from data.generators import sla
sla.generate(env.cr, {SLA_SIZE})
env.cr.commit()
"""

SLA_RUN = f"""
env["crm.sla.timer"]._cron_check_timers(batch_size={SLA_BATCH})
env.cr.commit()
"""

# A salesperson logging follow-ups on its own leads (``lead_ids``, none of them timed by
# the SLA run), one transaction each, retried on a serialization failure as Odoo retries
# a request. Run again after a failure, it logs only those not committed yet (each
# follow-up has its own key).
WRITER = """
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
done = set(env["crm.followup"].search([("next_step", "=like", f"restart {writer}-%")])
           .mapped("next_step"))
for index in range(count):
    key = f"restart {writer}-{index}"
    if key in done:
        continue
    for _attempt in range(10):
        try:
            env["crm.followup"].create({
                "lead_id": lead_ids[index % len(lead_ids)], "channel": "phone",
                "previous_conclusion": "Asked for a call",
                "value_delivered": "Answered the questions", "next_step": key,
            })
            env.cr.commit()
            break
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            env.cr.rollback()
            env.invalidate_all()
"""

HEALTH_STATE = [
    "SELECT partner_id, score, risk_level, state FROM crm_health_score ORDER BY partner_id",
    "SELECT partner_id, count(*) FROM crm_health_snapshot GROUP BY 1 ORDER BY 1",
    (
        "SELECT res_model, res_id, activity_type_id, summary, count(*) FROM mail_activity"
        " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    ),
    (
        "SELECT model, res_id, message_type, count(*) FROM mail_message"
        " WHERE model IN ('res.partner', 'crm.health.score') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ),
]
SLA_STATE = [
    (
        # cancelled timers stop at the run's time: their duration is not compared
        "SELECT l.name, t.node_id, t.state, t.escalation_level, t.date_stop IS NULL,"
        " CASE WHEN t.state = 'cancelled' THEN NULL ELSE round(t.duration_hours::numeric, 4) END"
        " FROM crm_sla_timer t JOIN crm_lead l ON l.id = t.lead_id"
        " WHERE l.name LIKE 'BENCH sla %' ORDER BY 1, 2"
    ),
    (
        "SELECT l.name, a.activity_type_id, a.summary, a.user_id, count(*)"
        " FROM mail_activity a JOIN crm_lead l ON l.id = a.res_id AND a.res_model = 'crm.lead'"
        " WHERE l.name LIKE 'BENCH sla %' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    ),
    (
        "SELECT name, user_id, sla_breach_count, sla_overdue FROM crm_lead"
        " WHERE name LIKE 'BENCH sla %' ORDER BY name"
    ),
]
# escalated timers: the kill and the restart come during the escalation step, after the
# cancel, stop and breach steps are done
SLA_PROGRESS = "SELECT count(*) FROM crm_sla_timer WHERE escalation_level <> '0'"
CADENCE_STATE = [
    (
        "SELECT res_id, activity_type_id, summary, date_deadline, user_id, count(*)"
        " FROM mail_activity WHERE res_model = 'crm.lead'"
        " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
    ),
]


@unittest.skipUnless(template_db(), "run through setup/test.sh (needs CRM_STD_TEMPLATE_DB)")
class TestCrashRecovery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = copy_template("crm_std_crash")
        cls.sla_base = None
        try:
            # the generators write raw rows for crm's tables: no sale / account columns
            done = odoo(cls.base, "server", "-i", ",".join(ADDONS[:2]), "--stop-after-init")
            assert not done.returncode, "\n".join(log_errors(done.stderr))
            # the SLA volume in a database of its own: the other runs do not see it
            cls.sla_base = copy_db(cls.base, "crm_std_crash_sla")
            done = odoo(cls.base, "shell", "--no-http", stdin=GENERATE)
            assert not log_errors(done.stderr), done.stderr[-3000:]
            done = odoo(cls.sla_base, "shell", "--no-http", stdin=GENERATE_SLA)
            assert not log_errors(done.stderr), done.stderr[-3000:]
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        drop_db(cls.base)
        if cls.sla_base:
            drop_db(cls.sla_base)

    def _state(self, db, queries):
        return [query(db, sql) for sql in queries]

    def _run(self, db, script):
        done = odoo(db, "shell", "--no-http", stdin=script)
        self.assertFalse(log_errors(done.stderr), done.stderr[-3000:])

    def _killed_run(self, db, script, progress_sql):
        """Start the run, kill -9 it once a first batch is committed, return the
        progress seen at the kill."""
        before = query(db, progress_sql)[0][0]
        run = subprocess.Popen(
            odoo_command(db, "shell", "--no-http"),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        run.stdin.write(script)
        run.stdin.close()
        deadline = time.monotonic() + 600
        while query(db, progress_sql)[0][0] == before:
            self.assertIsNone(run.poll(), "the run ended before its first batch was seen")
            self.assertLess(time.monotonic(), deadline, "no batch committed in time")
            time.sleep(0.05)
        self.assertIsNone(run.poll(), "the run ended before it could be killed")
        run.kill()
        run.wait(timeout=60)
        return query(db, progress_sql)[0][0]

    def _check(self, script, state_queries, progress_sql, base=None):
        base = base or self.base
        reference, crashed = copy_db(base, "crm_std_ref"), copy_db(base, "crm_std_kill")
        try:
            self._run(reference, script)
            expected = self._state(reference, state_queries)
            seen = self._killed_run(crashed, script, progress_sql)
            final = query(reference, progress_sql)[0][0]
            self.assertLess(seen, final, "the kill came after the run's end")
            self._run(crashed, script)
            self.assertEqual(self._state(crashed, state_queries), expected)
            self._run(crashed, script)  # and a further run changes nothing
            self.assertEqual(self._state(crashed, state_queries), expected)
        finally:
            drop_db(reference)
            drop_db(crashed)

    def test_health_recompute_killed_resumes_to_the_same_state(self):
        self._check(
            HEALTH_RUN,
            HEALTH_STATE,
            "SELECT count(*) FROM crm_health_score WHERE computed_on IS NOT NULL",
        )

    def test_cadence_run_killed_resumes_to_the_same_state(self):
        self._check(
            CADENCE_RUN,
            CADENCE_STATE,
            "SELECT count(*) FROM mail_activity WHERE res_model = 'crm.lead'",
        )

    def test_sla_run_killed_resumes_to_the_same_state(self):
        self._check(SLA_RUN, SLA_STATE, SLA_PROGRESS, base=self.sla_base)

    # ------------------------------------------------------------------
    # PostgreSQL restarted under load
    # ------------------------------------------------------------------
    def test_postgresql_restart_under_load_loses_and_duplicates_nothing(self):
        reference = copy_db(self.sla_base, "crm_std_ref")
        try:
            self._run(reference, SLA_RUN)
            expected = self._state(reference, SLA_STATE)
        finally:
            drop_db(reference)
        cluster = ThrowawayCluster()
        try:
            cluster.start()
            db = cluster.copy_from_shared(self.sla_base)
            # writers work on leads the SLA run does not time (no open timer)
            lead_ids = [
                row[0]
                for row in cluster.query(
                    db,
                    "SELECT l.id FROM crm_lead l WHERE l.active AND l.name NOT LIKE 'BENCH sla %'"
                    " AND NOT EXISTS (SELECT 1 FROM crm_sla_timer t"
                    "                  WHERE t.lead_id = l.id AND t.date_stop IS NULL)"
                    " ORDER BY l.id",
                )
            ]
            self.assertGreaterEqual(len(lead_ids), WRITERS, "too few leads for the writers")
            writers = {
                writer: f"writer, count = {writer}, {WRITES}\n"
                f"lead_ids = {lead_ids[writer::WRITERS]}\n{WRITER}"
                for writer in range(WRITERS)
            }
            before = cluster.query(db, SLA_PROGRESS)[0][0]
            run = self._start(cluster, db, SLA_RUN)
            busy = [self._start(cluster, db, script) for script in writers.values()]
            deadline = time.monotonic() + 600
            while (
                cluster.query(db, SLA_PROGRESS)[0][0] == before
                or not cluster.query(
                    db, "SELECT count(*) FROM crm_followup WHERE next_step LIKE 'restart %'"
                )[0][0]
            ):
                self.assertIsNone(run.poll(), "the SLA run ended before its first batch was seen")
                self.assertLess(time.monotonic(), deadline, "no batch committed in time")
                time.sleep(0.05)
            self.assertIsNone(run.poll(), "the SLA run ended before the restart")
            cluster.restart()
            for process in [run, *busy]:
                try:
                    process.wait(timeout=300)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=60)
            # the next runs, on the restarted server, finish the work
            self._run_on(cluster, db, SLA_RUN)
            for script in writers.values():
                self._run_on(cluster, db, script)
            self.assertEqual([cluster.query(db, sql) for sql in SLA_STATE], expected)
            followups = cluster.query(
                db,
                "SELECT next_step, count(*) FROM crm_followup WHERE next_step LIKE 'restart %'"
                " GROUP BY 1 ORDER BY 1",
            )
            self.assertEqual(
                [key for key, count in followups if count != 1], [], "duplicate follow-ups"
            )
            self.assertEqual(len(followups), WRITERS * WRITES, "follow-ups lost")
            self._run_on(cluster, db, SLA_RUN)  # and a further run changes nothing
            self.assertEqual([cluster.query(db, sql) for sql in SLA_STATE], expected)
        finally:
            cluster.destroy()

    def _cluster_command(self, cluster, db):
        return [
            f"--db_port={cluster.port}" if arg.startswith("--db_port=") else arg
            for arg in odoo_command(db, "shell", "--no-http")
        ]

    def _start(self, cluster, db, script):
        process = subprocess.Popen(
            self._cluster_command(cluster, db),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        process.stdin.write(script)
        process.stdin.close()
        return process

    def _run_on(self, cluster, db, script):
        done = subprocess.run(
            self._cluster_command(cluster, db),
            input=script,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        self.assertFalse(log_errors(done.stderr), done.stderr[-3000:])


def _pg_bin():
    """Folder of the PostgreSQL server programs (as setup/common.sh finds them)."""
    folders = [os.environ.get("PG_BINDIR", "")] + sorted(
        (str(path) for path in Path("/usr/lib/postgresql").glob("*/bin")),
        key=lambda path: [
            int(part) for part in Path(path).parent.name.split(".") if part.isdigit()
        ],
        reverse=True,
    )
    for folder in folders:
        if folder and Path(folder, "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    if not found:
        raise unittest.SkipTest("PostgreSQL server programs (pg_ctl, initdb) not found")
    return Path(found).parent


class ThrowawayCluster:
    """A PostgreSQL cluster of its own in the system temp folder, on a free port: the
    test restarts it without touching the cluster other tests share."""

    def __init__(self):
        self.bin = _pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="crm_std_pg_restart_"))
        self.data = self.root / "data"
        self.port = free_port()
        self.user = os.environ.get("PGUSER") or "odoo"
        self.started = False

    def _as_owner(self, *command):
        # PostgreSQL refuses to run as root: the cluster belongs to 'postgres' then
        if os.geteuid() == 0:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", subprocess.list2cmdline(command)]
        return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)

    def _options(self):
        return f"-h 127.0.0.1 -p {self.port} -k {self.root}"

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._as_owner(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self._as_owner(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-w", "-t", "60", "-o", self._options(), "start",
        )  # fmt: skip
        self.started = True
        self.query("postgres", f'CREATE ROLE "{self.user}" LOGIN SUPERUSER CREATEDB', "postgres")

    def restart(self):
        """Fast restart: open connections are cut, their transactions rolled back."""
        self._as_owner(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-m", "fast", "-w", "-t", "60", "-o", self._options(), "restart",
        )  # fmt: skip

    def destroy(self):
        if self.started:
            try:
                self._as_owner(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    def _connect(self, dbname, user=None):
        conn = psycopg2.connect(
            dbname=dbname, host="127.0.0.1", port=self.port, user=user or self.user
        )
        conn.autocommit = True
        return conn

    def query(self, dbname, sql, user=None):
        conn = self._connect(dbname, user)
        try:
            with conn.cursor() as cr:
                cr.execute(sql)
                return cr.fetchall() if cr.description else None
        finally:
            conn.close()

    def copy_from_shared(self, source):
        """Copy database ``source`` of the shared cluster into this one (dump, restore)."""
        self.query("postgres", f'CREATE DATABASE "{source}"')
        dump = subprocess.Popen(
            [
                str(self.bin / "pg_dump"), "-Fc", "-h", os.environ.get("PGHOST", "127.0.0.1"),
                "-p", os.environ.get("PGPORT", "5432"), "-U", self.user, source,
            ],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        subprocess.run(
            [
                str(self.bin / "pg_restore"), "--no-owner", "-h", "127.0.0.1",
                "-p", str(self.port), "-U", self.user, "-d", source,
            ],
            stdin=dump.stdout, check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        dump.stdout.close()
        if dump.wait(timeout=600):
            raise AssertionError(f"pg_dump of {source} failed")
        return source
