# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""First contact of a lead: the earliest follow-up, done activity or staff message on
it. The first-response KPI reads it live; the KPI report reads it stored on the lead
(``first_contact_date``), kept in step once per transaction: the follow-ups and
messages that may change it queue their leads, and the queue is applied before the
commit, or earlier where the figures are measured (:meth:`_kpi_apply_pending`)."""

from odoo import api, models
from odoo.tools import SQL

# precommit data: ids of the leads whose first contact is to be stored again
FIRST_CONTACT_QUEUE = "crm_process_std.first_contact"


class CrmKpi(models.AbstractModel):
    _inherit = "crm.kpi"

    @api.model
    def _kpi_staff_partners_sql(self):
        """Partners of internal users, OdooBot excluded (its posts are automated)."""
        return SQL(
            "SELECT partner_id FROM res_users WHERE NOT share AND id != %s",
            self.env.ref("base.user_root").id,
        )

    @api.model
    def _kpi_lead_first_contact_sql(self, leads):
        """(lead_id, first_contact) for the leads selected by ``leads`` (id, create_date).

        The first contact is the earliest follow-up of the lead, done activity or
        message / email / note by a staff member on it, after its creation.
        """
        return SQL(
            """
            SELECT c.lead_id, MIN(c.date) AS first_contact
              FROM (
                    SELECT f.lead_id, f.date FROM crm_followup f WHERE f.lead_id IS NOT NULL
                    UNION ALL
                    SELECT m.res_id, m.date FROM mail_message m
                     WHERE m.model = 'crm.lead'
                       AND (m.mail_activity_type_id IS NOT NULL
                            OR (m.message_type IN ('comment', 'email_outgoing')
                                AND m.author_id IN (%(staff)s)))
                   ) c
              JOIN (%(leads)s) AS cl ON cl.id = c.lead_id AND c.date >= cl.create_date
          GROUP BY c.lead_id
            """,
            staff=self._kpi_staff_partners_sql(),
            leads=leads,
        )

    @api.model
    def _kpi_queue_first_contact(self, lead_ids):
        """Note that the first contact of these leads may have changed: it is stored
        once per transaction, for all of them, before the commit (or earlier, at an
        explicit point: see :meth:`_kpi_apply_first_contact`)."""
        lead_ids = {lead_id for lead_id in lead_ids if lead_id}
        if not lead_ids:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(FIRST_CONTACT_QUEUE)
        if pending is None:
            pending = precommit.data[FIRST_CONTACT_QUEUE] = set()
            # sudo: stores a system-computed date on leads changed in this transaction
            precommit.add(self.sudo()._kpi_apply_first_contact)
        pending |= lead_ids

    @api.model
    def _kpi_apply_first_contact(self):
        """Store the first contact of the leads queued so far in this transaction."""
        pending = self.env.cr.precommit.data.get(FIRST_CONTACT_QUEUE)
        if pending:
            lead_ids = sorted(pending)
            pending.clear()
            # sudo: system value (first contact time) of leads changed in this transaction
            self.sudo()._kpi_store_first_contact(lead_ids)

    @api.model
    def _kpi_store_first_contact(self, lead_ids=None):
        """Store the first contact time on leads (all leads when ``lead_ids`` is
        None), from their follow-ups and messages: one statement. The KPI report
        reads it instead of aggregating every message on each query."""
        if lead_ids is not None and not lead_ids:
            return
        self.env["crm.lead"].flush_model(["create_date"])
        self.env["crm.followup"].flush_model(["lead_id", "date"])
        self.env["mail.message"].flush_model(
            ["model", "res_id", "date", "message_type", "author_id", "mail_activity_type_id"]
        )
        scope = SQL("TRUE") if lead_ids is None else SQL("l.id = ANY(%s)", list(lead_ids))
        # Writes a system-computed column only, returns nothing to the caller.
        # the same contacts as _kpi_lead_first_contact_sql, with the leads joined in
        # each branch so that a few leads are looked up by index, not by a scan
        self.env.execute_query(
            SQL(
                """
                WITH target AS (SELECT l.id, l.create_date FROM crm_lead l WHERE %(scope)s),
                contact AS (
                    SELECT f.lead_id, f.date
                      FROM crm_followup f
                      JOIN target t ON t.id = f.lead_id AND f.date >= t.create_date
                    UNION ALL
                    SELECT m.res_id, m.date
                      FROM mail_message m
                      JOIN target t ON m.model = 'crm.lead' AND m.res_id = t.id
                                   AND m.date >= t.create_date
                     WHERE m.mail_activity_type_id IS NOT NULL
                        OR (m.message_type IN ('comment', 'email_outgoing')
                            AND m.author_id IN (%(staff)s))
                )
                UPDATE crm_lead l SET first_contact_date = f.first_contact
                  FROM (SELECT t.id, MIN(c.date) AS first_contact
                          FROM target t LEFT JOIN contact c ON c.lead_id = t.id
                      GROUP BY t.id) f
                 WHERE l.id = f.id AND l.first_contact_date IS DISTINCT FROM f.first_contact
                """,
                scope=scope,
                staff=self._kpi_staff_partners_sql(),
            )
        )
        if lead_ids is None:
            self.env["crm.lead"].invalidate_model(["first_contact_date"], flush=False)
        else:
            self.env["crm.lead"].browse(lead_ids).invalidate_recordset(
                ["first_contact_date"], flush=False
            )
