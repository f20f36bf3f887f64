# Copyright 2026 CRM Process Standard contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Process Standard: Integration Tests",
    "summary": "Access matrix, bad-input and RPC sweeps, protected fields, buttons and browser "
    "tours over the whole product (tests only)",
    "version": "19.0.2.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/crm-process-std/crm-process-std",
    "author": "CRM Process Standard contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["crm_process_std", "crm_health_score", "crm_process_std_sale"],
    "data": [],
}
