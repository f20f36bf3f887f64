# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standardization",
    "summary": "The whole customer process in one click: stage requirements, follow-ups, "
    "cadences, SLA timers, complaints, handoffs, tiered approvals and process KPIs",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    # Only dependencies: each part is a focused addon a company may also install alone.
    "depends": [
        "crm_process_std_approval",
        "crm_process_std_base",
        "crm_process_std_complaint",
        "crm_process_std_followup",
        "crm_process_std_handoff",
        "crm_process_std_kpi",
        "crm_process_std_map",
        "crm_process_std_sla",
    ],
}
