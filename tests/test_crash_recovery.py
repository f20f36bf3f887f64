"""Crash in the middle: a scheduled run killed with SIGKILL resumes to the same state.

Production servers die mid-run (out of memory, a redeploy, a node lost). The health
recompute and the cadence reminders commit their work in batches; a run killed between
two batches must be finished by the next one with no duplicate and no lost row. For each
run this test prepares one database (addons, generated volume), copies it twice, runs
the scheduled work uninterrupted on one copy, and on the other kills the process
(``kill -9``) after its first committed batch and runs it again. The final states
compare equal. The generators are those of the benchmarks (``data/generators``).
"""

import subprocess
import time
import unittest

from tests.odoo_cli import (
    ADDONS,
    REPO_ROOT,
    copy_db,
    copy_template,
    drop_db,
    log_errors,
    odoo,
    odoo_command,
    query,
    template_db,
)

SIZE = 3000  # customers / leads generated; runs go in batches of BATCH
BATCH = 200

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
        try:
            # the generators write raw rows for crm's tables: no sale / account columns
            done = odoo(cls.base, "server", "-i", ",".join(ADDONS[:2]), "--stop-after-init")
            assert not done.returncode, "\n".join(log_errors(done.stderr))
            done = odoo(cls.base, "shell", "--no-http", stdin=GENERATE)
            assert not log_errors(done.stderr), done.stderr[-3000:]
        except BaseException:
            drop_db(cls.base)
            raise

    @classmethod
    def tearDownClass(cls):
        drop_db(cls.base)

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

    def _check(self, script, state_queries, progress_sql):
        reference, crashed = copy_db(self.base, "crm_std_ref"), copy_db(self.base, "crm_std_kill")
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
