# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Spreadsheet dashboard for the customer process",
    "summary": "Customer Process dashboard in the Dashboards app: KPIs against targets, "
    "pipeline completeness, SLA breaches, customer health and churn risks",
    "version": "19.0.1.0.0",
    "category": "Productivity/Dashboard",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["spreadsheet_dashboard", "crm_process_std", "crm_health_score"],
    "data": ["data/dashboards.xml"],
}
