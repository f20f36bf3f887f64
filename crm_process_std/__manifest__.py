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
        # handoff and tiered approval
        "security/crm_handoff_security.xml",
        "security/crm_lead_approval_security.xml",
        "data/crm_handoff_data.xml",
        "data/crm_lead_approval_data.xml",
        "data/crm_handoff_cron.xml",
        "views/crm_handoff_views.xml",
        "views/crm_handoff_decision_views.xml",
        "views/crm_handoff_checklist_template_views.xml",
        "views/crm_approval_level_views.xml",
        "views/crm_lead_approval_views.xml",
        "views/crm_lead_handoff_views.xml",
    ],
    "demo": [
        # Stage requirements, completeness, stage guidance
        "demo/crm_stage_requirement_demo.xml",
        # handoff and tiered approval
        "demo/crm_handoff_demo.xml",
        "demo/crm_lead_approval_demo.xml",
    ],
}
