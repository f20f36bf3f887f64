# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.i18n import format_list

from .customer_information import CUSTOMER_TYPES


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ("res.partner", "crm.customer.information.mixin")

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

    @api.model
    def get_import_templates(self):
        return [
            *super().get_import_templates(),
            self._customer_information_import_template(
                "customer_information_standard",
                self.env._("Customer Information Standard (template 1)"),
            ),
        ]

    def unlink(self):
        self._check_unlink_process_history()
        return super().unlink()

    @api.model
    def _process_history_models(self):
        """Models whose records name a customer (``partner_id``), the history of the
        customer relationship: they forbid deleting it. Each part adds its own."""
        return ()

    def _check_unlink_process_history(self):
        """Follow-ups and complaints are the history of a customer relationship: a
        customer holding some is archived, not deleted (the database refuses it too)."""
        if not self.ids or not self._process_history_models():
            return
        kept = self.browse()
        for model_name in self._process_history_models():
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
