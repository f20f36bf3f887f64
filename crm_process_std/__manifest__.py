# Copyright 2026 CRM Process Standard contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Process Standardization",
    "summary": "Stage requirements, completeness score, follow-up log, cadences, "
    "SLA timers, complaints, handoffs, tiered approvals and process KPIs",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["crm", "phone_validation", "resource"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/crm_process_std_security.xml",
        "security/ir.model.access.csv",
        "views/crm_process_std_menus.xml",
        "views/res_config_settings_views.xml",
        # hardening: record rules of the shared follow-up and complaint models
        "security/crm_followup_security.xml",
        "security/crm_complaint_security.xml",
    ],
    "demo": [],
}
