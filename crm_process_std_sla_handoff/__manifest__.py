# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: SLA of Handoffs",
    "summary": "Time the acceptance of the handoff of a won deal by after-sales",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["crm_process_std_handoff", "crm_process_std_sla"],
    "data": [
        "data/crm_sla_node_data.xml",
    ],
}
