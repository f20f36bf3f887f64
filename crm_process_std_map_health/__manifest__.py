# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Industry Templates with Health Weights",
    "summary": "Industry templates also make an inactive health scorecard with the "
    "preset's weights",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["crm_process_std_map", "crm_health_score"],
    "data": ["wizard/crm_industry_template_wizard_views.xml"],
}
