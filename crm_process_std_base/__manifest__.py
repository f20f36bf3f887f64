# Copyright 2026 CRM Process Standard contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Process Standard: Customer Information and Stage Requirements",
    "summary": "Stage requirements, completeness score, follow-up log, cadences, "
    "SLA timers, complaints, handoffs, tiered approvals and process KPIs",
    "version": "19.0.2.0.0",
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
        # Follow-ups, cadences, SLAs, tiers and complaints
        "security/crm_followup_security.xml",
        "data/crm_followup_data.xml",
        "data/crm_sla_node_data.xml",
        "data/crm_sla_timer_cron.xml",
        "views/crm_complaint_views.xml",
        "views/crm_sla_timer_views.xml",
        "views/crm_sla_node_views.xml",
        "views/crm_lead_followup_views.xml",
        "views/res_partner_followup_views.xml",
        # Process KPIs, diagnosis, improvement plan and staff feedback
        "security/crm_kpi_security.xml",
        "security/crm_feedback_security.xml",
        "data/crm_kpi_target_data.xml",
        "data/crm_kpi_cron_data.xml",
        "data/crm_process_diagnosis_data.xml",
        "data/crm_feedback_question_data.xml",
        "wizard/crm_kpi_snapshot_wizard_views.xml",
        "views/crm_kpi_target_views.xml",
        "views/crm_kpi_snapshot_views.xml",
        "wizard/crm_kpi_comparison_views.xml",
        "wizard/crm_kpi_target_proposal_views.xml",
        "views/crm_process_diagnosis_views.xml",
        "views/crm_improvement_task_views.xml",
        "views/crm_feedback_question_views.xml",
        "views/crm_feedback_request_views.xml",
        "views/crm_feedback_answer_views.xml",
        # Process map and industry templates
        "report/crm_process_map_report.xml",
        "views/crm_process_map_views.xml",
        "wizard/crm_industry_template_wizard_views.xml",
        # Live process KPI report
        "security/crm_kpi_report_security.xml",
        "report/crm_kpi_report_views.xml",
        # Access matrix: wizards private to their creator
        "security/crm_wizard_security.xml",
    ],
    "demo": [
        # Stage requirements, completeness, stage guidance
        "demo/crm_stage_requirement_demo.xml",
        # handoff and tiered approval
        "demo/crm_handoff_demo.xml",
        "demo/crm_lead_approval_demo.xml",
        # Follow-ups, cadences, SLAs, tiers and complaints
        "demo/crm_complaint_demo.xml",
        "demo/crm_sla_timer_demo.xml",
        # Process KPIs, diagnosis, improvement plan and staff feedback
        "demo/crm_process_diagnosis_demo.xml",
        "demo/crm_kpi_snapshot_demo.xml",
        "demo/crm_improvement_task_demo.xml",
        "demo/crm_feedback_demo.xml",
    ],
    "assets": {
        # the import dialog with two templates per model (Odoo's and the addon's)
        "web.assets_backend": ["crm_process_std_base/static/src/import/*.xml"],
        # Browser tours (tests/test_browser_tour.py)
        "web.assets_tests": ["crm_process_std_base/static/tests/tours/*.js"],
    },
}
