# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.i18n import format_list

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
        """Template 1 in the user's language where one is shipped (headers, industries
        and labels in that language); otherwise the file that imports in every
        language (English headers, which the import dialog always matches, and the
        industry by external id)."""
        folder = "/crm_process_std_base/static/xls"
        template = {"zh_CN": f"{folder}/customer_information_standard_zh_CN.csv"}.get(
            self.env.lang, f"{folder}/customer_information_standard.csv"
        )
        return [
            *super().get_import_templates(),
            {
                "label": self.env._("Customer Information Standard (template 1)"),
                "template": template,
            },
        ]

    crm_complaint_ids = fields.One2many(
        "crm.complaint", "commercial_partner_id", string="Complaints"
    )
    crm_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_crm_open_complaint_count"
    )

    @api.depends("crm_complaint_ids.state")
    def _compute_crm_open_complaint_count(self):
        counts = dict(
            self.env["crm.complaint"]._read_group(
                [("commercial_partner_id", "in", self.ids), ("state", "!=", "resolved")],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.crm_open_complaint_count = counts.get(partner._origin, 0)

    def unlink(self):
        self._check_unlink_process_history()
        return super().unlink()

    def _check_unlink_process_history(self):
        """Follow-ups and complaints are the history of a customer relationship: a
        customer holding some is archived, not deleted (the database refuses it too)."""
        if not self.ids:
            return
        kept = self.browse()
        for model_name in ("crm.complaint",):
            # sudo: whether any record (of any author) names these partners; only the
            # names of the partners being deleted are shown
            kept |= self.browse(
                partner.id
                for [partner] in self.env[model_name]
                .sudo()
                ._read_group([("partner_id", "in", self.ids)], ["partner_id"])
            )
        if kept:
            raise UserError(
                self.env._(
                    "%(partners)s cannot be deleted: follow-ups or complaints were logged "
                    "with them, the history of the customer relationship. Archive them "
                    "instead.",
                    partners=format_list(self.env, kept.mapped("display_name")),
                )
            )

    def action_crm_view_complaints(self):
        self.ensure_one()
        self.check_access("read")  # an action on this customer only (rules apply after)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_base.action_crm_complaint"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
