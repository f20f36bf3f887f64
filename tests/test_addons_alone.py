"""Each addon of the repository on its own, as a company installs it.

For every addon folder at the repository root (the meta addon ``crm_process_std``
aside: tests/test_lifecycle.py installs the whole product), on a copy of the CRM template
database (crm and its demo data, nothing of ours): install it alone (Odoo adds
only its dependencies, and the bridges they complete), run its own tests with
Odoo's test runner (``--test-enable --test-tags /<addon>``, as Odoo's and OCA's CI
do), upgrade it, uninstall it, and check that nothing of it remains.

The addons run two at a time (``CRM_STD_ALONE_JOBS``); ``CRM_STD_ALONE_ADDONS``
(comma-separated) limits the run to some of them.
"""

import os
import unittest
from concurrent.futures import ThreadPoolExecutor

from . import odoo_cli

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", %r)])
module.button_immediate_uninstall()
env.cr.commit()
"""


def repository_addons():
    # the meta addon is the whole product: tests/test_lifecycle.py installs it
    names = sorted(
        path.parent.name
        for path in odoo_cli.REPO_ROOT.glob("*/__manifest__.py")
        if path.parent.name != "crm_process_std"
    )
    wanted = os.environ.get("CRM_STD_ALONE_ADDONS")
    if wanted:
        names = [name for name in names if name in wanted.split(",")]
    return names


class AddonAlone:
    """Install, test, upgrade and uninstall one addon on a database of its own."""

    def __init__(self, addon):
        self.addon = addon
        self.db = None
        self.problems = []
        self.tests_run = 0

    def run(self):
        self.db = odoo_cli.copy_template(prefix="crm_std_alone")
        try:
            self._install_and_test()
            if not self.problems:
                self._upgrade()
            if not self.problems:
                self._uninstall()
        finally:
            odoo_cli.drop_db(self.db)
        return self

    def _odoo(self, *args, stdin=None):
        process = odoo_cli.odoo(self.db, *args, stdin=stdin, timeout=1800)
        output = process.stdout + process.stderr
        if process.returncode:
            self.problems.append(f"{args[:3]} exited {process.returncode}: {output[-3000:]}")
        return output

    def _install_and_test(self):
        output = self._odoo(
            "server",
            "-i",
            self.addon,
            "--test-enable",
            f"--test-tags=/{self.addon}",
            "--stop-after-init",
            "--log-handler=odoo.tests.result:INFO",
            f"--http-port={odoo_cli.free_port()}",
        )
        if self._state() != "installed":
            self.problems.append(f"not installed alone: {output[-3000:]}")
            return
        # Odoo's final report line: "0 failed, 0 error(s) of 12 tests when loading ..."
        reports = odoo_cli.TEST_REPORT_RE.findall(output)
        failed, errors_, total = (int(count) for count in reports[-1]) if reports else (0, 0, 0)
        failed += errors_
        self.tests_run = total
        errors = odoo_cli.log_errors(output)
        if failed or errors:
            self.problems.append(
                f"{failed} failing test(s) alone:\n" + "\n".join(errors[:40]) + output[-3000:]
            )

    def _upgrade(self):
        output = self._odoo("server", "-u", self.addon, "--stop-after-init", "--no-http")
        if errors := odoo_cli.log_errors(output):
            self.problems.append("upgrade: " + "\n".join(errors[:20]))

    def _uninstall(self):
        models = [
            row[0]
            for row in odoo_cli.query(
                self.db,
                "SELECT m.model FROM ir_model m JOIN ir_model_data d"
                " ON d.model = 'ir.model' AND d.res_id = m.id"
                " WHERE d.module = %s",
                (self.addon,),
            )
        ]
        # models the addon created (not those it extends): their tables go with it
        created = [
            model
            for model in models
            if not odoo_cli.query(
                self.db,
                "SELECT 1 FROM ir_model_data d JOIN ir_model m"
                " ON d.model = 'ir.model' AND d.res_id = m.id"
                " WHERE m.model = %s AND d.module != %s",
                (model, self.addon),
            )
        ]
        output = self._odoo("shell", "--no-http", stdin=UNINSTALL % self.addon)
        if errors := odoo_cli.log_errors(output):
            self.problems.append("uninstall: " + "\n".join(errors[:20]))
        if self._state() != "uninstalled":
            self.problems.append(f"still {self._state()} after uninstalling")
        left = odoo_cli.query(
            self.db,
            "SELECT model, name FROM ir_model_data WHERE module = %s LIMIT 20",
            (self.addon,),
        )
        if left:
            self.problems.append(f"data left after uninstalling: {left}")
        tables = [
            model.replace(".", "_")
            for model in created
            if odoo_cli.query(self.db, "SELECT to_regclass(%s)", (model.replace(".", "_"),))[0][0]
        ]
        if tables:
            self.problems.append(f"tables left after uninstalling: {tables}")

    def _state(self):
        rows = odoo_cli.query(
            self.db, "SELECT state FROM ir_module_module WHERE name = %s", (self.addon,)
        )
        return rows[0][0] if rows else None


@unittest.skipUnless(
    odoo_cli.template_db(), "run through setup/test.sh (needs CRM_STD_TEMPLATE_DB)"
)
class TestAddonsAlone(unittest.TestCase):
    def test_each_addon_installs_tests_upgrades_and_uninstalls_alone(self):
        addons = repository_addons()
        self.assertTrue(addons)
        jobs = int(os.environ.get("CRM_STD_ALONE_JOBS", "2"))
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda addon: AddonAlone(addon).run(), addons))
        problems = {result.addon: result.problems for result in results if result.problems}
        self.assertEqual(problems, {}, "\n\n".join(f"{k}: {v}" for k, v in problems.items()))
        # every part that has tests ran some under Odoo's runner
        untested = [
            result.addon
            for result in results
            if (odoo_cli.REPO_ROOT / result.addon / "tests").is_dir() and not result.tests_run
        ]
        self.assertEqual(untested, [], "addons whose tests did not run under --test-enable")
