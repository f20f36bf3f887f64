# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Handoff to After-Sales",
    "summary": "Won deals handed from sales to after-sales with content, checklist, "
    "deadline and the receiver's confirmation",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["crm_process_std_followup"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_handoff_security.xml",
        "data/crm_handoff_data.xml",
        "data/crm_handoff_cron.xml",
        "views/crm_handoff_views.xml",
        "views/crm_handoff_decision_views.xml",
        "views/crm_handoff_checklist_template_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/crm_handoff_demo.xml"],
    "assets": {
        # Browser tour (test_crm_process_std/tests/test_browser_tour.py)
        "web.assets_tests": ["crm_process_std_handoff/static/tests/tours/*.js"],
    },
}
