# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Process KPIs and Diagnosis",
    "summary": "Process KPIs with targets, monthly snapshots, live report and before / "
    "after comparison; CRM diagnosis, improvement plan and staff feedback",
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
        "security/crm_kpi_security.xml",
        "security/crm_feedback_security.xml",
        "security/crm_kpi_wizard_security.xml",
        "security/crm_kpi_report_security.xml",
        "data/crm_kpi_target_data.xml",
        "data/crm_kpi_cron_data.xml",
        "data/crm_process_diagnosis_data.xml",
        "data/crm_feedback_question_data.xml",
        "wizard/crm_kpi_snapshot_wizard_views.xml",
        "views/crm_kpi_target_views.xml",
        "views/crm_kpi_snapshot_views.xml",
        "report/crm_kpi_report_views.xml",
        "wizard/crm_kpi_comparison_views.xml",
        "wizard/crm_kpi_target_proposal_views.xml",
        "views/crm_process_diagnosis_views.xml",
        "views/crm_improvement_task_views.xml",
        "views/crm_feedback_question_views.xml",
        "views/crm_feedback_request_views.xml",
        "views/crm_feedback_answer_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/crm_process_diagnosis_demo.xml",
        "demo/crm_kpi_snapshot_demo.xml",
        "demo/crm_improvement_task_demo.xml",
        "demo/crm_feedback_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "assets": {
        # Browser tours (test_crm_process_std/tests/test_browser_tour.py)
        "web.assets_tests": ["crm_process_std_kpi/static/tests/tours/*.js"],
    },
}
