# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from odoo.addons.phone_validation.tools import phone_validation

# Phone and email fields checked on entry, per model.
CONTACT_FIELDS = {
    "crm.lead": {"phone": ("phone",), "email": ("email_from",)},
    "res.partner": {"phone": ("phone",), "email": ("email",)},
}


class CrmContactValidation(models.AbstractModel):
    """Refuses malformed phone numbers and emails typed by users.

    Checked where people enter data (form, editable list, quick create, import
    dialog), not on every ``write``: leads created by the website form, the mail
    gateway or integrations must never be lost because a visitor mistyped a number.
    """

    _name = "crm.contact.validation"
    _description = "Phone and Email Validation on Entry"

    @api.model
    def _check_entries(self, records, vals_list):
        """Raise a UserError when ``vals_list`` (form values for ``records``)
        holds a malformed phone or email."""
        spec = CONTACT_FIELDS.get(records._name)
        if not spec or not self._validates(records):
            return
        for index, vals in enumerate(vals_list):
            record = records[index : index + 1] if len(records) == len(vals_list) else records[:1]
            for fname in spec["phone"]:
                if vals.get(fname):
                    self._check_phone(vals[fname], self._entry_country(record, vals))
            for fname in spec["email"]:
                if vals.get(fname) and not email_normalize(vals[fname], strict=False):
                    raise UserError(
                        self.env._(
                            '"%s" is not a valid email address: use the form name@example.com.',
                            vals[fname],
                        )
                    )

    @api.model
    def _validates(self, records):
        """Leads are always checked; contacts (every application's partner forms) when
        the company's setting says so."""
        return records._name != "res.partner" or self.env.company.crm_std_validate_partner_contacts

    @api.model
    def _check_imported(self, records, vals_list):
        """Same check for rows of the import dialog (other data loads are left alone)."""
        if self.env.context.get("import_file"):
            self._check_entries(records, vals_list)

    @api.model
    def _entry_country(self, record, vals):
        if vals.get("country_id"):
            return self.env["res.country"].browse(vals["country_id"])
        return record.country_id or self.env.company.country_id

    @api.model
    def _check_phone(self, number, country):
        try:
            phone_validation.phone_parse(number, country.code or None)
        except UserError as error:
            raise UserError(
                self.env._(
                    '"%(number)s" is not a valid phone number (%(reason)s). '
                    "Check the digits, or start with the country code, e.g. +86.",
                    number=number,
                    reason=str(error),
                )
            ) from error
