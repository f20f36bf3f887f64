"""With nothing configured, the product adds no query to what staff do in CRM.

Two copies of the CRM template database (crm and its demo data):

- the baseline: crm with what the addons require from the ecosystem (OCA
  ``crm_industry``), i.e. what a company has before installing the product;
- the product (``crm_process_std`` and ``crm_health_score``; not the sale bridge, whose
  ``sale`` is not ours to measure), on which every rule it ships or demonstrates is
  then archived or cleared: stage requirements, SLA nodes, approval levels, cadence
  rules, health interventions, the companies' approval and handoff stages and automatic
  handoffs.

The same script runs on both as a salesperson: create an opportunity, move it through
two stages, win it, edit its customer; each step flushed as a request's commit would
(pre-commit hooks included), after the same steps once on another lead to warm the
caches. The cursor counts the queries of each step: they must be equal. (Before this
test, a stage move with nothing configured cost 3 more queries: a savepoint pair and a
search for the companies gating the stage; creating a lead 2 more: the follow-ups and
SLA timers it cannot have yet.)
"""

import json
import unittest

from . import odoo_cli

PRODUCT = "crm_process_std,crm_health_score"
ECOSYSTEM = "crm_industry"

CLEAR_CONFIGURATION = """
for model in (
    "crm.stage.requirement", "crm.sla.node", "crm.approval.level", "crm.cadence.rule",
    "crm.health.intervention.rule",
):
    env[model].with_context(active_test=False).search([]).write({"active": False})
env["res.company"].search([]).write({
    "crm_approval_stage_id": False,
    "crm_handoff_stage_id": False,
    "crm_handoff_auto_create": False,
})
env.cr.commit()
print("CLEARED")
"""

MEASURE = """
import gc
import json
# Odoo keeps its environments in a weak set: when the garbage collector happens to drop
# one between two steps, the next step reads the user's company again (one query that
# depends on Python's timing, not on the code measured). Measured without collection.
gc.disable()
seller = env.ref("base.user_demo")
env = env(user=seller.id)
Lead = env["crm.lead"]
stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id", limit=3)
won = env["crm.stage"].search([("is_won", "=", True)], order="sequence, id", limit=1)
customer = env["res.partner"].create({"name": "Query Count Ltd", "is_company": True})
env.cr.commit()


def step(function):
    start = env.cr.sql_log_count
    function()
    env.flush_all()
    env.cr.flush()  # the pre-commit hooks of a request
    count = env.cr.sql_log_count - start
    env.cr.commit()
    return count


def round_(name):
    lead = None

    def create():
        nonlocal lead
        lead = Lead.create({
            "name": name, "type": "opportunity", "partner_id": customer.id,
            "stage_id": stages[0].id, "expected_revenue": 5000,
        })

    counts = {"create": step(create)}
    counts["move"] = step(lambda: lead.write({"stage_id": stages[1].id}))
    counts["move again"] = step(lambda: lead.write({"stage_id": stages[2].id}))
    counts["win"] = step(lambda: lead.write({"stage_id": won.id}))
    counts["edit customer"] = step(lambda: customer.write({"street": "1 Harbour Road"}))
    return counts


round_("Warm-up lead")
print("COUNTS " + json.dumps(round_("Measured lead")))
"""


@unittest.skipUnless(
    odoo_cli.template_db(), "run through setup/test.sh (needs CRM_STD_TEMPLATE_DB)"
)
class TestNothingConfigured(unittest.TestCase):
    def _db(self, addons, *scripts):
        db = odoo_cli.copy_db(odoo_cli.template_db(), "crm_std_noconf")
        self.addCleanup(odoo_cli.drop_db, db)
        install = odoo_cli.odoo(db, "server", "-i", addons, "--stop-after-init", "--no-http")
        self.assertEqual(install.returncode, 0, install.stderr[-3000:])
        output = ""
        for script in scripts:
            run = odoo_cli.odoo(db, "shell", "--no-http", stdin=script)
            self.assertEqual(run.returncode, 0, run.stderr[-3000:])
            output += run.stdout
        return output

    def _counts(self, output):
        line = next(line for line in output.splitlines() if line.startswith("COUNTS "))
        return json.loads(line.removeprefix("COUNTS "))

    def test_no_query_added_with_nothing_configured(self):
        baseline = self._counts(self._db(ECOSYSTEM, MEASURE))
        product_output = self._db(PRODUCT, CLEAR_CONFIGURATION, MEASURE)
        self.assertIn("CLEARED", product_output)
        product = self._counts(product_output)
        print(f"queries per step: crm {baseline}, with the product {product}")
        self.assertEqual(product, baseline)
