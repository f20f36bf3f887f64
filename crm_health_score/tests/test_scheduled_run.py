# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from odoo.tests import tagged

from odoo.addons.crm_health_score.models.crm_health_score import RUN_PARAM

from .common import HealthCase


@tagged("post_install", "-at_install")
class TestScheduledRun(HealthCase):
    """The nightly recompute run by the scheduler: it resumes from the scheduler's
    own record of the last complete run and writes no configuration parameter (each
    write of one clears the caches of every worker of every server)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_health_score.ir_cron_crm_health_recompute")
        today = date.today()
        cls.old = cls.make_customer(cls, "Scored Before The Last Run")
        cls.fresh = cls.make_customer(cls, "Scored Since The Last Run")
        for customer in (cls.old, cls.fresh):
            cls.log_followup(cls, customer, today - timedelta(days=5))
        cls.engine._sync_scope((cls.old | cls.fresh).ids)

    def run_scheduled(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def computed_on(self, customer):
        return self.health_of(customer).computed_on

    def set_computed_on(self, customer, when):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_health_score SET computed_on = %s WHERE partner_id = %s",
            (when, customer.id),
        )
        self.env.invalidate_all()

    def params_sequence(self):
        self.env.cr.execute("SELECT last_value FROM ir_config_parameter_id_seq")
        return self.env.cr.fetchone()[0]

    def test_first_run_scores_every_customer_and_writes_no_parameter(self):
        self.cron.sudo().lastcall = False
        before = self.params_sequence()
        self.run_scheduled()
        for customer in (self.old, self.fresh):
            health = self.health_of(customer)
            self.assertTrue(health.computed_on, f"{customer.name} is scored by the first run")
            self.assertEqual(health.state, "scored")
        self.assertFalse(
            self.env["ir.config_parameter"].sudo().get_param(RUN_PARAM),
            "the scheduled run keeps no state in the configuration parameters",
        )
        self.assertEqual(
            self.params_sequence(), before, "no configuration parameter was created by the run"
        )

    def test_run_rescores_what_the_last_complete_run_did_not_see(self):
        last_run_end = datetime.now() - timedelta(hours=2)
        self.cron.sudo().lastcall = last_run_end
        self.set_computed_on(self.old, last_run_end - timedelta(hours=1))
        self.set_computed_on(self.fresh, last_run_end + timedelta(minutes=30))
        fresh_before = self.computed_on(self.fresh)
        self.run_scheduled()
        self.assertGreater(
            self.computed_on(self.old), last_run_end, "scored before the last run: scored again"
        )
        self.assertEqual(
            self.computed_on(self.fresh),
            fresh_before,
            "scored on demand since the last complete run: left for the next night",
        )
        self.assertGreaterEqual(
            self.cron.lastcall, last_run_end, "the complete run moves the scheduler's mark"
        )

    def test_full_run_asked_by_an_administrator_rescored_everything(self):
        last_run_end = datetime.now() - timedelta(hours=2)
        self.cron.sudo().lastcall = last_run_end
        self.set_computed_on(self.old, last_run_end - timedelta(hours=1))
        self.set_computed_on(self.fresh, last_run_end + timedelta(minutes=30))
        asked_at = datetime.now().replace(microsecond=0)
        self.env["ir.config_parameter"].sudo().set_param(RUN_PARAM, str(asked_at))
        self.run_scheduled()
        for customer in (self.old, self.fresh):
            self.assertGreaterEqual(
                self.computed_on(customer), asked_at, f"{customer.name} rescored by the full run"
            )
        self.assertFalse(
            self.env["ir.config_parameter"].sudo().get_param(RUN_PARAM),
            "the request is forgotten once the full run is complete",
        )
