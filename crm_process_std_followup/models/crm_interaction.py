# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

# Chatter messages that are a contact with the customer when a staff member writes
# them: a message or e-mail sent, a logged note, a text message (with ``sms``).
# Tracking changes and automated notifications are not; nor is the customer's own
# e-mail (it asks for a contact, it is not one). A done activity posts a message with
# its activity type: that message is the activity's one and only count.
INTERACTION_MESSAGE_TYPES = ("comment", "email", "email_outgoing", "sms")


class CrmInteraction(models.AbstractModel):
    """What "an interaction with the customer" is, defined once: the SQL every
    consumer reads (first contact of a lead, the churn and neglect KPIs, the health
    score's recency and frequency). An interaction is something a staff member did
    with the customer, dated:

    - a follow-up logged (crm.followup), on the customer or on one of its leads;
    - a message, e-mail, note or text message written by an internal user on the
      customer, one of its contacts or one of its leads (OdooBot's are automated);
    - an activity marked done there (its chatter message, whoever marked it);
    - a meeting held with the customer (a calendar event it attends, already started).

    Bridges add sources by extending :meth:`_interaction_sources`.
    """

    _name = "crm.interaction"
    _description = "Customer Interactions"

    @api.model
    def _interactions_sql(self, partners=None, leads=None, date_from=None, date_to=None):
        """SQL selecting ``(partner_id, lead_id, date)`` of the interactions.

        ``partner_id`` is the commercial customer (empty for a lead without one),
        ``lead_id`` the lead it happened on (empty on the customer itself), ``date``
        a timestamp. System read: callers decide who sees what they derive from it.

        :param partners: SQL selecting the ids of commercial customers: only their
            interactions (on them, their contacts and their leads)
        :param leads: SQL selecting ``(id, create_date)`` of leads: only the
            interactions on these leads, from their creation on (a meeting counts on
            a lead through its done activity)
        :param date_from: only interactions from this timestamp on
        :param date_to: only interactions before this timestamp
        """
        scope = {"partners": partners, "leads": leads, "from": date_from, "to": date_to}
        return SQL(" UNION ALL ").join(self._interaction_sources(scope))

    @api.model
    def _interaction_sources(self, scope):
        """The SQL queries of :meth:`_interactions_sql`, each selecting
        ``(partner_id, lead_id, date)`` within ``scope`` (its parameters by name)."""
        self.env["crm.followup"].flush_model(["partner_id", "lead_id", "date"])
        self.env["mail.message"].flush_model(
            ["model", "res_id", "date", "message_type", "author_id", "mail_activity_type_id"]
        )
        self.env["crm.lead"].flush_model(["partner_id", "create_date"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        sources = [
            self._interaction_followups_sql(scope),
            self._interaction_lead_messages_sql(scope),
        ]
        if scope["leads"] is None:
            sources += [
                self._interaction_partner_messages_sql(scope),
                self._interaction_meetings_sql(scope),
            ]
        return sources

    # -- building blocks ------------------------------------------------------------

    @api.model
    def _interaction_dates_sql(self, column, scope):
        conditions = [SQL("TRUE")]
        if scope["from"]:
            conditions.append(SQL("%s >= %s", column, scope["from"]))
        if scope["to"]:
            conditions.append(SQL("%s < %s", column, scope["to"]))
        return SQL(" AND ").join(conditions)

    @api.model
    def _interaction_partner_sql(self, alias, scope):
        if scope["partners"] is None:
            return SQL("TRUE")
        return SQL("%s.commercial_partner_id IN (%s)", SQL.identifier(alias), scope["partners"])

    @api.model
    def _interaction_staff_sql(self):
        """Partners of internal users, OdooBot excluded (its posts are automated)."""
        return SQL(
            "SELECT partner_id FROM res_users WHERE share IS NOT TRUE AND id != %s",
            self.env.ref("base.user_root").id,
        )

    @api.model
    def _interaction_message_sql(self, alias):
        """Condition on a mail_message alias: a staff member's contact, or the
        message of an activity marked done (whoever marked it: an automated rule
        closing an activity still records work done with the customer)."""
        return SQL(
            """(%(m)s.mail_activity_type_id IS NOT NULL
                OR (%(m)s.message_type = ANY(%(types)s) AND %(m)s.author_id IN (%(staff)s)))""",
            m=SQL.identifier(alias),
            types=list(INTERACTION_MESSAGE_TYPES),
            staff=self._interaction_staff_sql(),
        )

    # -- sources ----------------------------------------------------------------

    @api.model
    def _interaction_followups_sql(self, scope):
        if scope["leads"] is not None:
            return SQL(
                """SELECT p.commercial_partner_id AS partner_id, f.lead_id, f.date
                     FROM crm_followup f
                     JOIN (%(leads)s) t ON t.id = f.lead_id AND f.date >= t.create_date
                LEFT JOIN res_partner p ON p.id = f.partner_id
                    WHERE %(dates)s""",
                leads=scope["leads"],
                dates=self._interaction_dates_sql(SQL("f.date"), scope),
            )
        return SQL(
            """SELECT p.commercial_partner_id AS partner_id, f.lead_id, f.date
                 FROM crm_followup f JOIN res_partner p ON p.id = f.partner_id
                WHERE %s AND %s""",
            self._interaction_partner_sql("p", scope),
            self._interaction_dates_sql(SQL("f.date"), scope),
        )

    @api.model
    def _interaction_lead_messages_sql(self, scope):
        if scope["leads"] is not None:
            return SQL(
                """SELECT p.commercial_partner_id AS partner_id, m.res_id AS lead_id, m.date
                     FROM mail_message m
                     JOIN (%(leads)s) t ON m.model = 'crm.lead' AND m.res_id = t.id
                                       AND m.date >= t.create_date
                     JOIN crm_lead l ON l.id = m.res_id
                LEFT JOIN res_partner p ON p.id = l.partner_id
                    WHERE %(message)s AND %(dates)s""",
                leads=scope["leads"],
                message=self._interaction_message_sql("m"),
                dates=self._interaction_dates_sql(SQL("m.date"), scope),
            )
        return SQL(
            """SELECT p.commercial_partner_id AS partner_id, l.id AS lead_id, m.date
                 FROM mail_message m
                 JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE %s AND %s AND %s""",
            self._interaction_partner_sql("p", scope),
            self._interaction_message_sql("m"),
            self._interaction_dates_sql(SQL("m.date"), scope),
        )

    @api.model
    def _interaction_partner_messages_sql(self, scope):
        return SQL(
            """SELECT p.commercial_partner_id AS partner_id, NULL::int AS lead_id, m.date
                 FROM mail_message m
                 JOIN res_partner p ON m.model = 'res.partner' AND p.id = m.res_id
                WHERE %s AND %s AND %s""",
            self._interaction_partner_sql("p", scope),
            self._interaction_message_sql("m"),
            self._interaction_dates_sql(SQL("m.date"), scope),
        )

    @api.model
    def _interaction_meetings_sql(self, scope):
        """Meetings held (started, not archived) that the customer attends; staff
        attendees are not customers."""
        self.env["calendar.event"].flush_model(["start", "active", "opportunity_id"])
        return SQL(
            """SELECT p.commercial_partner_id AS partner_id, e.opportunity_id AS lead_id,
                      e.start AS date
                 FROM calendar_event e
                 JOIN calendar_event_res_partner_rel r ON r.calendar_event_id = e.id
                 JOIN res_partner p ON p.id = r.res_partner_id
                WHERE e.active AND e.start <= %s AND %s AND %s
                  AND p.id NOT IN (%s)""",
            fields.Datetime.now(),
            self._interaction_partner_sql("p", scope),
            self._interaction_dates_sql(SQL("e.start"), scope),
            self._interaction_staff_sql(),
        )
