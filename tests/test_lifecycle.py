"""Install, upgrade, uninstall and reinstall both addons on a copy of a
database that already holds CRM with its demo data."""

import unittest

from . import odoo_cli

ADDONS = ",".join(odoo_cli.ADDONS)
UNINSTALL = f"""
modules = env["ir.module.module"].search([("name", "in", {list(odoo_cli.ADDONS)!r})])
modules.button_immediate_uninstall()
"""


def _log_errors(process):
    return [
        line
        for line in (process.stdout + process.stderr).splitlines()
        if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
    ]


@unittest.skipUnless(
    odoo_cli.template_db(), "run through setup/test.sh (needs CRM_STD_TEMPLATE_DB)"
)
class TestAddonLifecycle(unittest.TestCase):
    def setUp(self):
        self.db = odoo_cli.copy_template()
        self.addCleanup(odoo_cli.drop_db, self.db)

    def _run(self, *args, stdin=None):
        process = odoo_cli.odoo(self.db, *args, stdin=stdin)
        self.assertEqual(process.returncode, 0, process.stderr[-4000:])
        self.assertEqual(_log_errors(process), [], process.stderr[-4000:])

    def _module_states(self):
        return dict(
            odoo_cli.query(
                self.db,
                "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
                (list(odoo_cli.ADDONS),),
            )
        )

    def _crm_counts(self):
        return odoo_cli.query(
            self.db,
            "SELECT (SELECT count(*) FROM crm_lead), (SELECT count(*) FROM res_partner),"
            " (SELECT count(*) FROM crm_stage), (SELECT count(*) FROM mail_activity)",
        )[0]

    def _crm_ids(self):
        return [
            {row[0] for row in odoo_cli.query(self.db, f"SELECT id FROM {table}")}
            for table in ("crm_lead", "res_partner", "crm_stage")
        ]

    def test_install_upgrade_uninstall_reinstall_keeps_crm_data(self):
        crm_before = self._crm_counts()
        ids_before = self._crm_ids()
        self.assertGreater(crm_before[0], 0, "the template must hold CRM demo leads")

        self._run("server", "-i", ADDONS, "--stop-after-init")
        self.assertEqual(set(self._module_states().values()), {"installed"})

        self._run("server", "-u", ADDONS, "--stop-after-init")
        self.assertEqual(set(self._module_states().values()), {"installed"})

        self._run("shell", "--no-http", stdin=UNINSTALL)
        self.assertEqual(set(self._module_states().values()), {"uninstalled"})
        leftovers = odoo_cli.query(
            self.db,
            "SELECT model FROM ir_model_data WHERE module = ANY(%s)",
            (list(odoo_cli.ADDONS),),
        )
        self.assertEqual(leftovers, [], "uninstall must remove every record the addons created")
        # The sale bridge pulls in `sale` (and `account`, whose localisation may add
        # a demo company partner); they stay installed, so CRM's own records must all
        # be kept rather than the counts be equal.
        for kept, now in zip(ids_before, self._crm_ids(), strict=True):
            self.assertFalse(kept - now, "CRM's own leads, partners and stages are kept")
        crm_after = self._crm_counts()
        self.assertEqual(
            (crm_after[0], crm_after[2]), (crm_before[0], crm_before[2]), "no lead or stage added"
        )

        self._run("server", "-i", ADDONS, "--stop-after-init")
        self.assertEqual(set(self._module_states().values()), {"installed"})
