# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hand-built CRM history for the KPI tests: leads, deals, messages, activities
and follow-ups placed at known dates (creation dates are set in SQL, since the
ORM stamps them with the database clock)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.crm.tests.common import TestCrmCommon


class KpiCase(TestCrmCommon):
    """crm's own test organisation; the KPIs are read for a team of their own (crm's
    team already has a won and a lost lead), of crm's salesperson on own documents and
    a second one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won_stage = cls.env.ref("crm.stage_lead4")
        cls.first_stage = cls.env.ref("crm.stage_lead1")
        cls.salesperson = cls.user_sales_salesman
        cls.salesperson2 = new_test_user(
            cls.env, login="kpi_sales_2", name="Lee Sales", groups="sales_team.group_sale_salesman"
        )
        cls.process_admin = new_test_user(
            cls.env,
            login="kpi_process_admin",
            name="Pat Admin",
            groups="crm_process_std_base.group_process_admin",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "KPI Test Team",
                "member_ids": [(6, 0, (cls.salesperson | cls.salesperson2).ids)],
            }
        )
        cls.kpi = cls.env["crm.kpi"]
        cls.env["ir.config_parameter"].sudo().set_param("crm_process_std.kpi_churn_days", "30")

    # -- helpers -------------------------------------------------------------

    def _set(self, records, **values):
        """Write columns straight in SQL (dates the ORM would stamp itself)."""
        records.flush_recordset()
        table = records._table
        for field_name, value in values.items():
            self.env.cr.execute(
                f'UPDATE "{table}" SET "{field_name}" = %s WHERE id = ANY(%s)',
                (value, records.ids),
            )
        records.invalidate_recordset()

    def _lead(self, name, created, user=None, team=None, **values):
        user = self.salesperson if user is None else user
        team = team or self.team
        lead = self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "user_id": user.id if user else False,
                "team_id": team.id,
                "company_id": (team.company_id or self.env.company).id,
                "stage_id": self.first_stage.id,
                **values,
            }
        )
        self._set(lead, create_date=created, date_open=created if user else None)
        return lead

    def _won(self, lead, when):
        lead.write({"stage_id": self.won_stage.id})
        self._set(lead, date_closed=when)
        return lead

    def _lost(self, lead, when):
        lead.action_set_lost()
        self._set(lead, date_closed=when)
        return lead

    def _customer(self, name, user=None, **values):
        user = user or self.salesperson
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "user_id": user.id, **values}
        )

    def _message(self, record, when, author=None, message_type="comment", internal=True):
        author = author or self.salesperson.partner_id
        subtype = self.env.ref("mail.mt_note" if internal else "mail.mt_comment")
        return self.env["mail.message"].create(
            {
                "model": record._name,
                "res_id": record.id,
                "message_type": message_type,
                "subtype_id": subtype.id,
                "author_id": author.id,
                "body": "Called the customer.",
                "date": when,
            }
        )

    def _followup(self, partner, when, lead=None, user=None):
        return self.env["crm.followup"].create(
            {
                "partner_id": partner.id,
                "lead_id": lead.id if lead else False,
                "date": when,
                "channel": "phone",
                "user_id": (user or self.salesperson).id,
            }
        )

    def _activity(self, record, deadline, done_on=None, user=None):
        activity = record.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=deadline,
            user_id=(user or self.salesperson).id,
        )
        if done_on:
            with freeze_time(done_on):
                activity.action_feedback(feedback="Done")
                # the done date is computed at flush: flush while the clock is set
                self.env.flush_all()
        return activity

    def _commit_point(self):
        """What the commit of a request runs: pending writes, then the pre-commit
        hooks (the first contacts queued by the transaction are stored there)."""
        self.env.cr.flush()

    @staticmethod
    def dt(text):
        return datetime.fromisoformat(text)

    # -- datasets -------------------------------------------------------------

    def _conversion_dataset(self):
        """March 2024: salesperson 1 wins 2; salesperson 2 wins 1, loses 1 (75 %).
        Outside March: a deal won in April and one lost in February."""
        march = self.dt("2024-02-20 09:00")
        won = [
            self._won(self._lead(f"Won {i}", march), self.dt(f"2024-03-{10 + i} 12:00"))
            for i in range(2)
        ]
        won.append(
            self._won(
                self._lead("Won 3", march, user=self.salesperson2), self.dt("2024-03-20 12:00")
            )
        )
        lost = self._lost(
            self._lead("Lost 1", march, user=self.salesperson2), self.dt("2024-03-25 12:00")
        )
        self._won(self._lead("Won in April", march), self.dt("2024-04-03 12:00"))
        self._lost(self._lead("Lost in February", march), self.dt("2024-02-25 12:00"))
        return won, lost

    def _timeliness_dataset(self):
        """Activities due in March 2024: 3 done on time of 5 due (60 %)."""
        lead = self._lead("Follow me up", self.dt("2024-02-01 09:00"))
        customer = self._customer("Timely Customer")
        on_time = self._activity(lead, "2024-03-05", done_on="2024-03-04")
        on_time |= self._activity(lead, "2024-03-10", done_on="2024-03-10 18:00")
        late = self._activity(lead, "2024-03-12", done_on="2024-03-15")
        overdue = self._activity(lead, "2024-03-20")
        self._activity(lead, "2024-04-02", done_on="2024-04-01")
        on_time |= self._activity(customer, "2024-03-25", done_on="2024-03-24")
        return on_time, late | overdue

    def _churn_dataset(self):
        """March 2024, churn after 30 days: C1, C2, C3 active; C2 lost (33.33 %)."""
        c1 = self._customer("C1 Steady")
        self._won(self._lead("C1 deal", self.dt("2023-12-01"), partner_id=c1.id), "2024-01-10")
        for day in ("2024-02-20", "2024-03-10", "2024-04-05"):
            self._message(c1, self.dt(f"{day} 10:00"))
        c2 = self._customer("C2 Silent")
        self._won(self._lead("C2 deal", self.dt("2023-12-01"), partner_id=c2.id), "2024-01-15")
        self._followup(c2, self.dt("2024-02-25 10:00"))
        c3 = self._customer("C3 Negotiating")
        self._won(self._lead("C3 deal", self.dt("2023-12-01"), partner_id=c3.id), "2024-02-10")
        self._lead("C3 new deal", self.dt("2024-03-01 08:00"), partner_id=c3.id)
        c4 = self._customer("C4 Gone Before")
        self._won(self._lead("C4 deal", self.dt("2023-11-01"), partner_id=c4.id), "2023-12-01")
        self._message(c4, self.dt("2024-01-05 10:00"))
        c5 = self._customer("C5 New")
        self._won(self._lead("C5 deal", self.dt("2024-02-01"), partner_id=c5.id), "2024-03-05")
        c6 = self._customer("C6 Old Customer")
        self._won(self._lead("C6 deal", self.dt("2023-01-01"), partner_id=c6.id), "2023-02-01")
        self._message(c6, self.dt("2024-02-28 10:00"))
        return c1 | c2 | c3, c2
