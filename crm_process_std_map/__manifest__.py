# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Process Map and Industry Templates",
    "summary": "Read-only process map generated from the live rules (with PDF), and "
    "industry presets of stages, requirements, cadences and SLA nodes",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "crm_process_std_approval",
        "crm_process_std_handoff",
        "crm_process_std_sla",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_process_map_security.xml",
        "report/crm_process_map_report.xml",
        "views/crm_process_map_views.xml",
        "wizard/crm_industry_template_wizard_views.xml",
    ],
}
