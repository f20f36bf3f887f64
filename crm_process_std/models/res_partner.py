# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .customer_information import COMPLETENESS_BANDS, CUSTOMER_TYPES, NEED_PRIORITIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_success_user_id = fields.Many2one(
        "res.users",
        string="Customer Success Manager",
        index=True,
        tracking=True,
        help="Looks after this customer once sales has handed it over.",
    )

    # --- Standard customer information and completeness (stage requirements concern) ---
    # Fields an admin may weigh in the completeness rate (extend in other modules).
    _completeness_candidate_fields = (
        "industry_id",
        "customer_type",
        "function",
        "phone",
        "email",
        "website",
        "vat",
        "street",
        "city",
        "country_id",
        "core_need",
        "need_priority",
        "budget_range",
        "expected_delivery_date",
        "decision_maker_id",
        "next_action",
        "next_action_date",
        "user_id",
    )

    customer_type = fields.Selection(
        CUSTOMER_TYPES,
        tracking=True,
        help="Potential: not bought yet; Customer: has won deals; Lost: no longer buys.",
    )
    core_need = fields.Char(help="What the customer mainly needs, e.g. lower production costs.")
    need_priority = fields.Selection(NEED_PRIORITIES, help="How urgent the need is.")
    budget_range = fields.Char(help="e.g. 500k-1M")
    expected_delivery_date = fields.Date()
    decision_maker_id = fields.Many2one(
        "res.partner",
        string="Key Decision Maker",
        index="btree_not_null",
        help="The contact who takes the buying decision.",
    )
    next_action = fields.Char(help="The next step planned with this customer.")
    next_action_date = fields.Date()
    completeness_rate = fields.Float(
        compute="_compute_completeness_rate",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="Weighted share (%) of the standard customer fields that are filled.",
    )
    completeness_band = fields.Selection(
        COMPLETENESS_BANDS, compute="_compute_completeness_rate", store=True
    )
    completeness_incomplete = fields.Boolean(
        string="Below Completeness Threshold",
        compute="_compute_completeness_incomplete",
        search="_search_completeness_incomplete",
    )

    @api.depends(lambda self: self._completeness_candidate_fields)
    def _compute_completeness_rate(self):
        self.env["crm.completeness.field"]._compute_rates(self)

    @api.depends("completeness_rate")
    def _compute_completeness_incomplete(self):
        self.env["crm.completeness.field"]._compute_incomplete(self)

    def _search_completeness_incomplete(self, operator, value):
        return self.env["crm.completeness.field"]._search_incomplete(operator, value)

    def web_save(self, vals, specification, next_id=None):
        self.env["crm.contact.validation"]._check_entries(self, [vals])
        return super().web_save(vals, specification, next_id=next_id)

    def web_save_multi(self, vals_list, specification):
        self.env["crm.contact.validation"]._check_entries(self, vals_list)
        return super().web_save_multi(vals_list, specification)

    @api.model
    def _load_records_create(self, vals_list):
        self.env["crm.contact.validation"]._check_imported(self, vals_list)
        return super()._load_records_create(vals_list)

    def _load_records_write(self, values):
        self.env["crm.contact.validation"]._check_imported(self, [values])
        return super()._load_records_write(values)

    @api.model
    def get_import_templates(self):
        return [
            *super().get_import_templates(),
            {
                "label": self.env._("Customer Information Standard (template 1)"),
                "template": "/crm_process_std/static/xls/customer_information_standard.csv",
            },
        ]
