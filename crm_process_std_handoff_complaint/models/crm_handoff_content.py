# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, models

from odoo.addons.crm_process_std_handoff.models.crm_handoff_content import (
    _html_list,
    _same_company,
)


class CrmHandoffContent(models.AbstractModel):
    _inherit = "crm.handoff.content"

    @api.model
    def _content_by_lead(self, leads):
        """The customer's open complaints are the open issues of its handoff."""
        content = super()._content_by_lead(leads)
        # sudo: read rights on the leads were checked by the caller (see super)
        complaints = self._open_complaints_by_lead(leads.sudo(), self.env)
        for lead_id, values in content.items():
            values["open_issues"] = _html_list(complaints.get(lead_id)) or Markup(
                "<p>%s</p>"
            ) % self.env._("No open complaint.")
        return content

    @api.model
    def _open_complaints_by_lead(self, leads, user_env):
        partners = leads.partner_id.commercial_partner_id
        # sudo: the caller may read the leads; _readable_history drops what belongs to
        # another company or to a lead the caller may not read
        complaints = (
            self.env["crm.complaint"]
            .sudo()
            .search(
                [("partner_id", "child_of", partners.ids), ("state", "!=", "resolved")],
                order="date_open desc, id desc",
            )
        )
        complaints = self._readable_history(complaints, leads, user_env)
        severities = dict(complaints._fields["severity"]._description_selection(self.env))
        by_partner = defaultdict(list)
        for complaint in complaints:
            by_partner[complaint.partner_id.commercial_partner_id.id].append(complaint)
        return {
            lead.id: [
                Markup("%s (%s, %s)")
                % (
                    complaint.name,
                    severities[complaint.severity],
                    complaint.date_open.date().isoformat(),
                )
                for complaint in by_partner.get(lead.partner_id.commercial_partner_id.id, ())
                if _same_company(complaint, lead.company_id or self.env.company)
            ]
            for lead in leads
        }
