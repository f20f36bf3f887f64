# Copyright 2026 CRM Process Standard contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customer Health Score",
    "summary": "Explainable 0-100 customer health score with risk levels, "
    "interventions, churn warning and history",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["crm_process_std"],
    "data": [
        "security/ir.model.access.csv",
        "views/crm_health_score_menus.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [],
}
