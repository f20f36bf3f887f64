# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Customer Information and Stage Requirements",
    "summary": "Stage requirements, completeness score, follow-up log, cadences, "
    "SLA timers, complaints, handoffs, tiered approvals and process KPIs",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["crm", "crm_industry", "phone_validation", "resource"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/crm_process_std_security.xml",
        "security/ir.model.access.csv",
        "views/crm_process_std_menus.xml",
        "views/res_config_settings_views.xml",
        # Stage requirements, completeness, stage guidance
        "security/crm_stage_requirement_security.xml",
        "data/crm_completeness_field_data.xml",
        "data/crm_completeness_cron.xml",
        "views/crm_stage_requirement_views.xml",
        "views/crm_stage_deviation_views.xml",
        "views/crm_completeness_field_views.xml",
        "views/crm_stage_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "wizard/crm_stage_exception_wizard_views.xml",
        # the escalation activity type of overdue reminders and late process nodes
        "data/crm_followup_data.xml",
        # one notification per assignee of the activities a scheduled action creates
        "data/mail_activity_templates.xml",
        # Access matrix: wizards private to their creator
        "security/crm_wizard_security.xml",
    ],
    "demo": [
        # Stage requirements, completeness, stage guidance
        "demo/crm_stage_requirement_demo.xml",
    ],
    "assets": {
        # the import dialog with two templates per model (Odoo's and the addon's)
        "web.assets_backend": ["crm_process_std_base/static/src/import/*.xml"],
        # Browser tours (test_crm_process_std/tests/test_browser_tour.py)
        "web.assets_tests": ["crm_process_std_base/static/tests/tours/*.js"],
    },
}
