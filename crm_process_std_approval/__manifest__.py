# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Deal Approvals",
    "summary": "Tiered approval of large deals by amount before a gated stage",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["crm_process_std_base"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_lead_approval_security.xml",
        "data/crm_lead_approval_data.xml",
        "views/crm_approval_level_views.xml",
        "views/crm_lead_approval_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/crm_lead_approval_demo.xml"],
    "assets": {
        # Browser tour (test_crm_process_std/tests/test_browser_tour.py)
        "web.assets_tests": ["crm_process_std_approval/static/tests/tours/*.js"],
    },
}
