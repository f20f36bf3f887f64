# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Health Score",
    "summary": "Explainable 0-100 customer health score with risk levels, "
    "interventions, churn warning and history",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    # what the health score reads: follow-ups (interactions, orders) and complaints
    "depends": ["crm_process_std_complaint", "crm_process_std_followup"],
    "data": [
        "security/crm_health_score_security.xml",
        "security/ir.model.access.csv",
        "data/crm_health_scorecard_data.xml",
        "data/crm_health_score_cron.xml",
        "data/crm_health_backfill_cron.xml",
        "views/crm_health_score_views.xml",
        "views/crm_health_snapshot_views.xml",
        "views/crm_health_scorecard_views.xml",
        "views/crm_health_intervention_rule_views.xml",
        "views/crm_health_backtest_views.xml",
        "wizard/crm_health_backfill_views.xml",
        "views/res_partner_views.xml",
        "views/crm_health_score_menus.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/crm_health_score_demo.xml",
        "demo/crm_health_backtest_demo.xml",
    ],
    # Browser tours (test_crm_process_std/tests/test_browser_tour.py)
    # History from day one: 12 months backfilled in the background at install
    "post_init_hook": "post_init_hook",
    "assets": {"web.assets_tests": ["crm_health_score/static/tests/tours/*.js"]},
}
