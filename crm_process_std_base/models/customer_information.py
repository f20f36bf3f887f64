# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The standard customer information, one definition for customers and leads."""

from odoo import api, fields, models

CUSTOMER_TYPES = [("potential", "Potential"), ("customer", "Customer"), ("lost", "Lost")]
NEED_PRIORITIES = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
COMPLETENESS_BANDS = [
    ("0", "Below 25 %"),
    ("25", "25-49 %"),
    ("50", "50-79 %"),
    ("80", "80-99 %"),
    ("100", "Complete"),
]


class CrmCustomerInformationMixin(models.AbstractModel):
    """Standard customer information and its completeness, on customers and leads.

    Inheriting models list the fields an admin may weigh in the completeness rate
    (``_completeness_candidate_fields``)."""

    _name = "crm.customer.information.mixin"
    _description = "Standard Customer Information"

    _completeness_candidate_fields = ()

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
    next_action = fields.Char(help="The next step planned with the customer.")
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

    # Phones and emails typed by users are validated (see crm.contact.validation).
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
    def _customer_information_import_template(self, name, label):
        """Import template 1 (``static/xls/<name>.csv``) in the user's language where
        one is shipped (headers, industries and labels in that language); otherwise
        the file that imports in every language (English headers, which the import
        dialog always matches, and the industry by external id)."""
        folder = "/crm_process_std_base/static/xls"
        template = {"zh_CN": f"{folder}/{name}_zh_CN.csv"}.get(
            self.env.lang, f"{folder}/{name}.csv"
        )
        return {"label": label, "template": template}
