# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Follow-up Cadences of Complaints",
    "summary": "Customers with an unresolved complaint are followed up every week",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["crm_process_std_followup", "crm_process_std_complaint"],
    "data": ["data/crm_cadence_rule_data.xml"],
}
