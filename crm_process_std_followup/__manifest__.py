# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Follow-ups, Cadences and Customer Tiers",
    "summary": "Structured follow-up log with last contact and next action, follow-up "
    "cadence rules with reminders and escalation, customer tiers by revenue",
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
        "security/crm_followup_security.xml",
        "data/crm_followup_data.xml",
        "data/crm_cadence_rule_data.xml",
        "data/crm_cadence_rule_cron.xml",
        "data/res_partner_tier_cron.xml",
        "views/crm_followup_views.xml",
        "views/crm_cadence_rule_views.xml",
        "views/crm_lead_followup_views.xml",
        "views/res_partner_followup_views.xml",
        "views/mail_activity_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/crm_followup_demo.xml",
        "demo/crm_cadence_rule_demo.xml",
    ],
}
