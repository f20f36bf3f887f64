"""Install, use, upgrade, uninstall and reinstall both addons on a copy of a database
that already holds CRM with its demo data plus thousands of generated leads,
customers, activities and notes (data/generators/crm_volume.py).

After uninstalling, CRM's own data must be exactly as before the install, and
nothing of the addons may remain: no table, no column, no record they created,
no chatter / activity / follower / attachment of their models.
"""

import json
import unittest

from . import odoo_cli

ADDONS = list(odoo_cli.ADDONS)
VOLUME_CUSTOMERS = 2500  # 2 500 customers + contacts, 5 000 leads, 1 250 activities

# What a company does with the addons, one snippet per concern (run in `odoo shell`
# as the administrator), on the company's own CRM data (the generated customers,
# ref VOL-...), never on the addons' demo records, which their uninstallation deletes.
# Each concern that adds a model adds its snippet here.
USAGE = {
    "settings": """
settings = env["res.config.settings"].create({
    "crm_std_completeness_threshold": 70,
    "crm_std_requirement_mode": "warn",
    "crm_health_churn_days": 45,
})
settings.execute()
""",
    "customer success": """
customers = env["res.partner"].search([("ref", "=like", "VOL-%")], limit=500)
customers.write({"customer_success_user_id": env.ref("base.user_admin").id})
""",
    "follow-ups": """
leads = env["crm.lead"].search([("partner_id.ref", "=like", "VOL-%")], limit=300, order="id")
followups = env["crm.followup"].create([{
    "partner_id": lead.partner_id.id,
    "lead_id": lead.id,
    "user_id": lead.user_id.id or env.uid,
    "channel": ("phone", "visit", "wechat")[index % 3],
    "previous_conclusion": "Budget confirmed",
    "value_delivered": "Sent the price list",
    "next_step": "Visit the plant",
    "next_action_date": "2030-01-15",
} for index, lead in enumerate(leads)])
for followup in followups[:20]:
    followup.message_post(body="Checked with the plant manager.")
""",
    "complaints": """
leads = env["crm.lead"].search(
    [("partner_id.ref", "=like", "VOL-%")], limit=60, order="id desc"
)
complaints = env["crm.complaint"].create([{
    "name": f"Late delivery {index}",
    "partner_id": lead.partner_id.id,
    "lead_id": lead.id,
    "severity": ("urgent", "normal")[index % 2],
    "user_id": env.uid,
} for index, lead in enumerate(leads)])
for complaint in complaints[:10]:
    complaint.message_post(body="Customer called again.")
    complaint.activity_schedule("mail.mail_activity_data_todo", summary="Call the customer back")
complaints[10:20].write({"state": "resolved", "resolution": "<p>Replaced the parts.</p>"})
""",
}

# What the addons left in the database, read before uninstalling, per set of addons
# uninstalled together: every record they created (XML ids of theirs only), their
# models' tables and chatter, their columns on other models' tables.
SNAPSHOT = """
import json


def snapshot(addons):
    env.cr.execute('''
        SELECT model, array_agg(res_id ORDER BY res_id) FROM ir_model_data d
        WHERE module = ANY(%%s) AND NOT EXISTS (
            SELECT 1 FROM ir_model_data o
            WHERE o.model = d.model AND o.res_id = d.res_id AND o.module <> ALL(%%s))
        GROUP BY model''', [addons, addons])
    records = [[env[model]._table, ids] for model, ids in env.cr.fetchall() if model in env]
    new_models, tables, columns = [], set(), set()
    for name in env.registry:
        model = env[name]
        if model._abstract:
            continue
        if model._original_module in addons:
            new_models.append(name)
            tables.add(model._table)
        for field in model._fields.values():
            if not field._modules or not set(field._modules) <= set(addons):
                continue
            if field.type == "many2many" and field.store:
                tables.add(field.relation)
            elif field.store and field.column_type and model._original_module not in addons:
                columns.add((model._table, field.name))
    return {
        "records": records, "models": sorted(new_models),
        "tables": sorted(tables), "columns": sorted(columns),
    }


print("SNAPSHOT " + json.dumps({
    "crm_health_score": snapshot(["crm_health_score"]),
    "all": snapshot(%(addons)r),
}))
"""

# Standard CRM still works: views render (no broken inheritance left behind), a lead
# goes through the pipeline, a customer is edited. Rolled back.
SMOKE = """
for model, types in (
    ("crm.lead", ["form", "list", "kanban", "search", "pivot"]),
    ("res.partner", ["form", "list", "kanban", "search"]),
    ("res.config.settings", ["form"]),
):
    env[model].get_views([(False, view_type) for view_type in types])
partner = env["res.partner"].search([("ref", "=like", "VOL-%")], limit=1)
lead = env["crm.lead"].create(
    {"name": "Lifecycle smoke", "partner_id": partner.id, "type": "opportunity"}
)
# CRM's own stages: demo configuration of the addons may gate their demo stages
crm_stages = env["ir.model.data"].search([("module", "=", "crm"), ("model", "=", "crm.stage")])
stages = env["crm.stage"].browse(crm_stages.mapped("res_id")).sorted(lambda s: (s.sequence, s.id))
# Up to the won stage the way staff get there: the Won button (hidden once won; a
# second press would move the deal on to the next won stage, which the handoff gates).
for stage in stages.filtered(lambda s: not s.is_won):
    lead.stage_id = stage
lead.action_set_won_rainbowman()
lead.copy()
partner.write({"name": partner.name + " (checked)"})
env["crm.lead"].search([("partner_id", "=", partner.id)]).read(["name", "stage_id"])
env.flush_all()
env.cr.rollback()
print("SMOKE OK")
"""

UNINSTALL = """
env["ir.module.module"].search([("name", "in", %r)]).button_immediate_uninstall()
"""

# CRM's own data, row by row: a hash of the meaningful columns of every row that
# existed before the addons were installed.
CRM_FINGERPRINT = {
    "crm_lead": "id, name, type, active, stage_id, team_id, user_id, partner_id, company_id,"
    " expected_revenue, probability, won_status, email_from",
    "res_partner": "id, name, email, phone, is_company, parent_id, commercial_partner_id,"
    " active, user_id, company_id",
    "crm_stage": "id, name, sequence, is_won, fold",
    "crm_team": "id, name, active, company_id, user_id",
    "crm_tag": "id, name",
    "res_users": "id, login, active, partner_id",
    "mail_activity": "id, res_model, res_id, activity_type_id, user_id, date_deadline, summary",
    "mail_message": "id, model, res_id, message_type, body",
}

# Where records of a model live besides its table (none may outlive the model).
MODEL_REFERENCES = {
    "mail_message": "model",
    "mail_activity": "res_model",
    "mail_followers": "res_model",
    "ir_attachment": "res_model",
    "ir_model": "model",
    "ir_model_fields": "model",
    "ir_act_window": "res_model",
    "ir_ui_view": "model",
}


@unittest.skipUnless(
    odoo_cli.template_db(), "run through setup/test.sh (needs CRM_STD_TEMPLATE_DB)"
)
class TestAddonLifecycle(unittest.TestCase):
    def setUp(self):
        self.db = odoo_cli.copy_template()
        self.addCleanup(odoo_cli.drop_db, self.db)

    def _run(self, *args, stdin=None):
        process = odoo_cli.odoo(self.db, *args, stdin=stdin)
        output = process.stdout + process.stderr
        self.assertEqual(process.returncode, 0, output[-4000:])
        self.assertEqual(odoo_cli.log_errors(output), [], output[-4000:])
        return process.stdout

    def _shell(self, script):
        return self._run("shell", "--no-http", stdin=script + "\nenv.cr.commit()\n")

    def _query(self, sql, params=None):
        return odoo_cli.query(self.db, sql, params)

    def _module_states(self, names=ADDONS):
        return {
            name: state
            for name, state in self._query(
                "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (list(names),)
            )
        }

    def _crm_fingerprint(self, max_ids=None):
        """{table: (max id, row count, md5 of rows)} of CRM's own tables.

        With ``max_ids``, only the rows that existed when ``max_ids`` was taken.
        """
        result = {}
        for table, columns in CRM_FINGERPRINT.items():
            limit = max_ids[table][0] if max_ids else None
            where = "WHERE id <= %s" if max_ids else ""
            result[table] = tuple(
                self._query(
                    f"SELECT coalesce(max(id), 0), count(*),"
                    f" md5(coalesce(string_agg(t::text, '|' ORDER BY id), ''))"
                    f" FROM (SELECT {columns} FROM {table} {where}) t",
                    (limit,) if max_ids else None,
                )[0]
            )
        return result

    def _assert_nothing_left(self, snapshot, addons):
        """Nothing of ``addons`` remains after their uninstallation."""
        leftovers = []
        rows = self._query(
            "SELECT module, model, name FROM ir_model_data WHERE module = ANY(%s)", (addons,)
        )
        leftovers += [f"ir_model_data {module}.{name} ({model})" for module, model, name in rows]
        for table, ids in snapshot["records"]:
            if self._query("SELECT to_regclass(%s)", (table,))[0][0]:
                kept = self._query(f"SELECT id FROM {table} WHERE id = ANY(%s)", (ids,))
                leftovers += [f"{table} id {row[0]} (created by the addons)" for row in kept]
        for table in snapshot["tables"]:
            if self._query("SELECT to_regclass(%s)", (table,))[0][0]:
                leftovers.append(f"table {table}")
        for table, column in snapshot["columns"]:
            if self._query(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s"
                " AND column_name = %s",
                (table, column),
            ):
                leftovers.append(f"column {table}.{column}")
        for table, column in MODEL_REFERENCES.items():
            rows = self._query(
                f"SELECT {column}, count(*) FROM {table} WHERE {column} = ANY(%s) GROUP BY 1",
                (snapshot["models"],),
            )
            leftovers += [f"{count} {table} rows of model {model}" for model, count in rows]
        # Odoo keeps the bookkeeping row of a foreign key it dropped with its column on
        # another module's table (no XML id to find it by): only a key still in
        # PostgreSQL is a leftover.
        rows = self._query(
            "SELECT 'constraint', c.name FROM ir_model_constraint c JOIN ir_module_module m"
            " ON m.id = c.module WHERE m.name = ANY(%s) AND (c.type <> 'f'"
            " OR EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conname = c.name))"
            " UNION ALL SELECT 'relation', r.name FROM ir_model_relation r"
            " JOIN ir_module_module m ON m.id = r.module WHERE m.name = ANY(%s)",
            (addons, addons),
        )
        leftovers += [f"ir_model_{kind} {name}" for kind, name in rows]
        self.assertEqual(leftovers, [], f"uninstalling {addons} left data behind")

    def test_lifecycle_on_real_data_keeps_crm_data_and_leaves_nothing(self):
        counts = odoo_cli.generate_volume(self.db, VOLUME_CUSTOMERS)
        self.assertEqual(counts["crm.lead"], 2 * VOLUME_CUSTOMERS)
        crm_before = self._crm_fingerprint()
        self.assertGreater(crm_before["crm_lead"][1], 2 * VOLUME_CUSTOMERS)

        # Install, use every concern, upgrade.
        self._run("server", "-i", ",".join(ADDONS), "--stop-after-init")
        self.assertEqual(set(self._module_states().values()), {"installed"})
        followups = self._query("SELECT count(*) FROM crm_followup")[0][0]  # demo ones
        output = self._shell("\n".join(USAGE.values()) + SNAPSHOT % {"addons": ADDONS})
        snapshot = json.loads(output.split("SNAPSHOT ", 1)[1].splitlines()[0])
        for model in ("crm.followup", "crm.complaint"):
            self.assertIn(model, snapshot["all"]["models"])
        self.assertIn(["res_partner", "customer_success_user_id"], snapshot["all"]["columns"])
        followups += 300
        self.assertEqual(self._query("SELECT count(*) FROM crm_followup")[0][0], followups)
        self._run("server", "-u", ",".join(ADDONS), "--stop-after-init")
        self.assertEqual(set(self._module_states().values()), {"installed"})
        self.assertEqual(self._query("SELECT count(*) FROM crm_followup")[0][0], followups)
        self.assertEqual(
            self._crm_fingerprint(crm_before),
            crm_before,
            "installing, using and upgrading the addons changed CRM's own data",
        )

        # Uninstall the health score alone (and its bridges), then the process addons.
        self._shell(UNINSTALL % ["crm_health_score"])
        health = odoo_cli.with_dependents("crm_health_score")
        self.assertEqual(
            self._module_states(),
            {name: "uninstalled" if name in health else "installed" for name in ADDONS},
        )
        self._assert_nothing_left(snapshot["crm_health_score"], ["crm_health_score"])
        self._shell(UNINSTALL % ["crm_process_std_base"])  # and the addons depending on it
        self.assertEqual(set(self._module_states().values()), {"uninstalled"})
        self._assert_nothing_left(snapshot["all"], ADDONS)
        self.assertEqual(
            self._crm_fingerprint(crm_before),
            crm_before,
            "CRM's own leads, customers, stages, activities and messages are kept",
        )
        self.assertIn("SMOKE OK", self._shell(SMOKE))

        # Reinstall: the addons come back clean on the same data.
        self._run("server", "-i", ",".join(ADDONS), "--stop-after-init")
        self.assertEqual(set(self._module_states().values()), {"installed"})
        self.assertEqual(
            self._query("SELECT count(*) FROM crm_followup")[0][0],
            followups - 300,
            "reinstalled: only the demo follow-ups",
        )
        self.assertIn("SMOKE OK", self._shell(SMOKE))
        self.assertEqual(self._crm_fingerprint(crm_before), crm_before)
