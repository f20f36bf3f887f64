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
        # Follow-ups, cadences, SLAs, tiers and complaints (issue 4)
        "security/crm_followup_security.xml",
        "data/crm_followup_data.xml",
        "data/crm_cadence_rule_data.xml",
        "data/crm_cadence_rule_cron.xml",
        "data/crm_sla_node_data.xml",
        "data/crm_sla_timer_cron.xml",
        "data/res_partner_tier_cron.xml",
        "views/crm_followup_views.xml",
        "views/crm_complaint_views.xml",
        "views/crm_sla_timer_views.xml",
        "views/crm_cadence_rule_views.xml",
        "views/crm_sla_node_views.xml",
        "views/crm_lead_followup_views.xml",
        "views/res_partner_followup_views.xml",
        "views/mail_activity_views.xml",
    ],
    "demo": [
        # Follow-ups, cadences, SLAs, tiers and complaints (issue 4)
        "demo/crm_followup_demo.xml",
        "demo/crm_complaint_demo.xml",
        "demo/crm_cadence_rule_demo.xml",
        "demo/crm_sla_timer_demo.xml",
    ],
}
