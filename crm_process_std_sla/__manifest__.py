# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: SLA Timers",
    "summary": "Process nodes with time limits, SLA timers on leads, breaches and an "
    "escalation ladder",
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
        "security/crm_sla_security.xml",
        "data/crm_sla_node_data.xml",
        "data/crm_sla_timer_cron.xml",
        "views/crm_sla_timer_views.xml",
        "views/crm_sla_node_views.xml",
        "views/crm_lead_views.xml",
    ],
    "demo": [
        "demo/crm_sla_timer_demo.xml",
    ],
}
