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
    ],
    "demo": [
        # Process KPIs, diagnosis, improvement plan and staff feedback
        "demo/crm_process_diagnosis_demo.xml",
        "demo/crm_kpi_snapshot_demo.xml",
        "demo/crm_improvement_task_demo.xml",
        "demo/crm_feedback_demo.xml",
    ],
}
