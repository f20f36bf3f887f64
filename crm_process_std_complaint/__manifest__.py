# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Customer Complaints",
    "summary": "Customer complaints answered within a deadline set by their severity",
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
        "security/crm_complaint_security.xml",
        "data/crm_complaint_data.xml",
        "views/crm_complaint_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/crm_complaint_demo.xml"],
}
