# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers of the follow-up, cadence, SLA and tier tests."""

import contextlib
import time

from odoo.tests import new_test_user

from odoo.addons.crm.tests.common import TestCrmCommon


class FollowupCase(TestCrmCommon):
    """crm's own test organisation (its sales team led by the sales manager, the
    salesperson on own documents, the Planet Express company and its contact), plus a
    second salesperson on own documents outside the team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = cls.user_sales_manager
        cls.salesman = cls.user_sales_salesman
        cls.other_salesman = new_test_user(
            cls.env, login="fu_other", groups="sales_team.group_sale_salesman", name="Olga Other"
        )
        cls.team = cls.sales_team_1
        cls.customer = cls.contact_company_1
        cls.contact = cls.contact_1

    def _lead(self, **values):
        return self.env["crm.lead"].create(
            {
                "name": "Harbour Logistics: 40 desks",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "team_id": self.team.id,
                **values,
            }
        )

    def _summary(self, **values):
        return {
            "previous_conclusion": "They asked for a comparison with other brands.",
            "value_delivered": "Sent the comparison sheet and two references.",
            "next_step": "Confirm the demo date.",
            **values,
        }

    @contextlib.contextmanager
    def assertRefused(self, exception, *fragments):
        """Expect ``exception`` (changes rolled back) whose message holds ``fragments``."""
        with self.assertRaises(exception) as caught:
            yield caught
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    @contextlib.contextmanager
    def committing_env(self):
        """An environment whose commits (cron progress) stay inside the test."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            yield self.env(cr=cr)

    def run_cron(self, model, method, **kwargs):
        with self.committing_env() as env:
            return getattr(env[model], method)(**kwargs)

    def run_cron_cut_short(self, model, method, cron_xmlid, **kwargs):
        """Run a cron method as the scheduler would, with its time already used
        up: it stops after its first committed batch. Return its progress."""
        with self.committing_env() as env:
            cron = env.ref(cron_xmlid)
            cron, progress = cron.with_context(cron_id=cron.id)._add_progress()
            getattr(
                env[model].with_context(
                    cron_id=cron.id,
                    ir_cron_progress_id=progress.id,
                    cron_end_time=time.monotonic() - 1,
                ),
                method,
            )(**kwargs)
            return progress.done, progress.remaining
