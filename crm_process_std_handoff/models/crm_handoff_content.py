# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.tools.i18n import format_list

# Follow-ups summarized per handoff, most recent first.
FOLLOWUPS_IN_SUMMARY = 5


def _html_list(items):
    if not items:
        return False
    return Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % item for item in items)


def _same_company(record, company):
    """A record of the handoff's company (or of none) belongs in it."""
    return not record.company_id or record.company_id == company


class CrmHandoffContent(models.AbstractModel):
    """Pre-fills a handoff with what the receiver needs to know about the customer."""

    _name = "crm.handoff.content"
    _description = "Handoff Content Builder"

    @api.model
    def _content_by_lead(self, leads):
        """{lead id: content field values}, reading the follow-ups in batches (bridges
        add other history, e.g. open complaints as open issues).

        The caller must be allowed to read ``leads`` (crm.handoff checks it with
        ``_check_lead_access`` before calling). The customer's history is then read as
        superuser, within the lead's company only (the caller's current one for a lead
        without company, as the handoff's), and without what is attached to another lead
        the caller may not read: the summary is what the caller's deal and
        its customer record tell after-sales."""
        user_env = self.env
        # sudo: read rights on the leads were checked by the caller (see docstring)
        leads = leads.sudo()
        followups = self._followups_by_lead(leads, user_env)
        return {
            lead.id: {
                "customer_info": self._customer_info(lead),
                "followup_summary": _html_list(followups[lead.id])
                or Markup("<p>%s</p>") % self.env._("No follow-up recorded."),
                "open_issues": False,
                "customer_needs": lead.description or False,
            }
            for lead in leads
        }

    @api.model
    def _customer_info(self, lead):
        partner = lead.partner_id
        address = ", ".join(
            part
            for part in (
                lead.street,
                lead.city,
                lead.state_id.name,
                lead.country_id.name,
            )
            if part
        )
        rows = [
            (self.env._("Customer"), partner.commercial_partner_id.name or lead.partner_name),
            (self.env._("Contact"), partner.name if partner.parent_id else lead.contact_name),
            (self.env._("Job Position"), lead.function),
            (self.env._("Phone"), lead.phone),
            (self.env._("Email"), lead.email_from),
            (self.env._("Address"), address),
            (self.env._("Industry"), partner.commercial_partner_id.industry_id.name),
            (self.env._("Salesperson"), lead.user_id.name),
            (self.env._("Sales Team"), lead.team_id.name),
            (self.env._("Expected Revenue"), lead.company_currency.format(lead.expected_revenue)),
            (self.env._("Tags"), format_list(self.env, lead.tag_ids.mapped("name"))),
        ]
        return _html_list(
            [Markup("<strong>%s</strong>: %s") % (label, value) for label, value in rows if value]
        )

    @api.model
    def _readable_history(self, records, leads, user_env):
        """History records (follow-ups...) of ``records`` not attached to another lead the
        caller (``user_env``) may not read (the company is checked per lead)."""
        attached = records.lead_id - leads
        hidden = attached - attached.with_env(user_env)._filtered_access("read")
        return records.filtered(lambda record: record.lead_id not in hidden)

    @api.model
    def _followups_by_lead(self, leads, user_env):
        partners = leads.partner_id.commercial_partner_id
        # sudo: the caller may read the leads; _readable_history drops what belongs to
        # another company or to a lead the caller may not read
        followups = (
            self.env["crm.followup"]
            .sudo()
            .search(
                [
                    "|",
                    ("lead_id", "in", leads.ids),
                    ("partner_id", "child_of", partners.ids),
                ],
                order="date desc, id desc",
            )
        )
        followups = self._readable_history(followups, leads, user_env)
        by_lead, by_partner = defaultdict(list), defaultdict(list)
        for followup in followups:
            by_lead[followup.lead_id.id].append(followup)
            if followup.partner_id:  # a prospect's follow-up belongs to its lead only
                by_partner[followup.partner_id.commercial_partner_id.id].append(followup)
        channels = dict(followups._fields["channel"]._description_selection(self.env))
        result = {}
        for lead in leads:
            partner_id = lead.partner_id.commercial_partner_id.id
            mine = {
                followup
                for followup in (*by_lead.get(lead.id, ()), *by_partner.get(partner_id, ()))
                if _same_company(followup, lead.company_id or self.env.company)
            }
            mine = sorted(mine, key=lambda followup: (followup.date, followup.id), reverse=True)
            result[lead.id] = [
                self._followup_line(followup, channels) for followup in mine[:FOLLOWUPS_IN_SUMMARY]
            ]
        return result

    @api.model
    def _followup_line(self, followup, channels):
        steps = " / ".join(
            text
            for text in (followup.previous_conclusion, followup.value_delivered, followup.next_step)
            if text
        )
        return Markup("%s, %s: %s") % (
            followup.date.date().isoformat(),
            channels.get(followup.channel, followup.channel),
            steps or "-",
        )
