# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addons of the repository this test addon belongs to (one folder per addon at
its root): the models and fields the integration tests sweep are theirs."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The dashboard (spreadsheet_dashboard) stays out: it has no models of its own to sweep.
ADDONS = tuple(
    sorted(
        path.parent.name
        for path in REPO_ROOT.glob("*/__manifest__.py")
        if path.parent.name != "spreadsheet_dashboard_crm_process_std"
    )
)
