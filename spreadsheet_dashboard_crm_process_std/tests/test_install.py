# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The bridge installs by itself where its three dependencies are, nothing more."""

import importlib.util
import os
import unittest
from pathlib import Path

from odoo.tests import BaseCase, tagged

MODULE = "spreadsheet_dashboard_crm_process_std"
DEPENDENCIES = ("crm_process_std", "crm_health_score", "spreadsheet_dashboard")
# The repository's command-line helpers (tests/odoo_cli.py): setup/test.sh builds the
# CRM-only template database they copy and names it in CRM_STD_TEMPLATE_DB.
ODOO_CLI = Path(__file__).resolve().parents[2] / "tests" / "odoo_cli.py"


def load_odoo_cli():
    spec = importlib.util.spec_from_file_location("crm_std_odoo_cli", ODOO_CLI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
@unittest.skipUnless(
    os.environ.get("CRM_STD_TEMPLATE_DB") and ODOO_CLI.exists(),
    "needs the CRM template database of setup/test.sh",
)
class TestInstallAlone(BaseCase):
    def test_auto_installs_with_its_dependencies_only(self):
        cli = load_odoo_cli()
        db = cli.copy_template("crm_std_dash")
        self.addCleanup(cli.drop_db, db)

        run = cli.odoo(db, "server", "-i", ",".join(DEPENDENCIES), "--stop-after-init")
        output = run.stdout + run.stderr
        self.assertEqual(run.returncode, 0, output[-4000:])
        self.assertEqual(cli.log_errors(output), [])

        states = dict(
            cli.query(
                db,
                "SELECT name, state FROM ir_module_module WHERE name IN %s",
                [(MODULE, "sale")],
            )
        )
        self.assertEqual(states[MODULE], "installed")
        self.assertNotEqual(states["sale"], "installed")
        dashboards = cli.query(
            db,
            """SELECT d.name->>'en_US', g.module || '.' || g.name
                 FROM spreadsheet_dashboard d
                 JOIN ir_model_data m ON m.model = 'spreadsheet.dashboard' AND m.res_id = d.id
                 JOIN ir_model_data g ON g.model = 'spreadsheet.dashboard.group'
                                     AND g.res_id = d.dashboard_group_id
                WHERE m.module = %s""",
            [MODULE],
        )
        self.assertEqual(
            dashboards,
            [("Customer Process", "spreadsheet_dashboard.spreadsheet_dashboard_group_sales")],
        )
