# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import HealthCase

TODAY = date(2024, 6, 25)
AS_OF = date(2024, 4, 30)
DIMENSIONS = ("recency", "frequency", "orders", "complaints", "needs")
# Record field of each dimension's points and weight (column prefix of the scoring).
RECORD_PREFIX = {
    "recency": "recency",
    "frequency": "frequency",
    "orders": "order",
    "complaints": "complaint",
    "needs": "needs",
}


@tagged("post_install", "-at_install")
class TestScoreAsOf(HealthCase):
    """A customer scored as of a past date from the rows dated up to it, by the same
    definitions as the nightly recompute (``crm.health.engine._raw_inputs_sql``)."""

    def backdate(self, lead, day):
        """The opportunity was created on ``day`` (the ORM stamps the transaction's
        time, not the frozen one)."""
        lead.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", (self.at(day, 8), lead.id)
        )
        lead.invalidate_recordset(["create_date"])
        return lead

    def resolve(self, complaint, day):
        with freeze_time(self.at(day)):
            complaint.resolution = "<p>Replacement shipped</p>"
            complaint.action_resolve()

    def seed_history(self):
        """Follow-ups, opportunities and complaints spread over the months before
        TODAY, some before AS_OF (30 April) and some after it."""
        customer = self.make_customer("Long History Ltd", needs_match="medium")
        for day in (date(2024, 1, 20), date(2024, 3, 15), date(2024, 4, 10), date(2024, 4, 25)):
            self.log_followup(customer, day)
        # after AS_OF
        self.log_followup(customer, date(2024, 6, 20))
        self.post_note(customer, date(2024, 5, 10))
        # won before AS_OF, one of them before the three months of TODAY
        self.backdate(self.win_opportunity(customer, date(2024, 2, 10)), date(2024, 2, 1))
        self.backdate(self.win_opportunity(customer, date(2024, 3, 1)), date(2024, 2, 15))
        # open on AS_OF: won, lost later
        self.backdate(self.win_opportunity(customer, date(2024, 5, 20)), date(2024, 4, 1))
        lost = self.backdate(self.open_opportunity(customer), date(2024, 4, 5))
        with freeze_time(self.at(date(2024, 6, 1))):
            lost.action_set_lost()
        # created after AS_OF, open today
        self.backdate(self.open_opportunity(customer), date(2024, 5, 5))
        # complaints: resolved long ago, resolved before AS_OF, resolved after it,
        # and one filed after it still open
        self.resolve(self.file_complaint(customer, date(2023, 11, 15)), date(2023, 11, 20))
        self.resolve(self.file_complaint(customer, date(2024, 3, 1)), date(2024, 3, 5))
        self.resolve(self.file_complaint(customer, date(2024, 4, 20)), date(2024, 5, 15))
        self.file_complaint(customer, date(2024, 6, 10))
        with freeze_time(self.at(TODAY, 23)):
            self.engine._sync_scope(customer.ids)
        return customer, self.health_of(customer)

    def scored_row(self, record, as_of, scorecard=None):
        with freeze_time(self.at(TODAY, 23)):
            rows = self.engine._score_as_of(as_of, record.ids, scorecard=scorecard)
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_past_date_counts_only_what_existed_then(self):
        _customer, record = self.seed_history()

        row = self.scored_row(record, AS_OF)

        # Interactions up to 25 April: the follow-up of 20 June and the note of 10 May
        # are ignored; 3 since 30 January (1.0 a month).
        self.assertEqual(row["last_day"], date(2024, 4, 25))
        self.assertEqual(row["recency_days"], 5)
        self.assertEqual(row["recent"], 3)
        self.assertEqual(float(row["frequency"]), 1.0)
        # Won 10 February and 1 March; the one won 20 May and the one lost 1 June
        # were open on 30 April, the one created 5 May did not exist yet.
        self.assertEqual(row["orders"], 2)
        self.assertEqual(row["open_orders"], 2)
        # Filed 15 November, 1 March and 20 April: the last one resolved on 15 May
        # was unresolved on 30 April; the one of 10 June not filed yet.
        self.assertEqual((row["complaints"], row["unresolved"]), (3, 1))
        self.assertEqual(float(row["complaint_value"]), 4.0)  # 2 + 1 x 2
        # Default bands: 5 days 100, 1.0 a month 40, 2 orders 80, 4 complaints 20,
        # needs medium 60; 100x25 + 40x20 + 80x20 + 20x15 + 60x20 = 6400 -> 64.
        points = {d: row[f"{d}_points"] for d in DIMENSIONS}
        self.assertEqual(
            points,
            {"recency": 100, "frequency": 40, "orders": 80, "complaints": 20, "needs": 60},
        )
        self.assertEqual(float(row["recency_weight"]), 25.0)
        self.assertEqual((row["raw_score"], row["risk"], row["state"]), (64, "medium", "scored"))
        self.assertEqual(row["scorecard_id"], self.scorecard.id)

    def test_today_equals_what_the_nightly_recompute_writes(self):
        customer, record = self.seed_history()

        record = self.score(customer, TODAY)
        row = self.scored_row(record, TODAY)

        # Since 25 March: 10 April, 25 April, 10 May, 20 June (1.33 a month, 40);
        # won 20 May (60); the opportunity of 5 May open; 1 March, 20 April and
        # 10 June filed, 10 June unresolved (value 4, 20): 2500 + 800 + 1200 + 300
        # + 1200 = 6000 -> 60, medium.
        self.assertEqual((record.computed_score, record.computed_risk_level), (60, "medium"))
        self.assertEqual((row["raw_score"], row["risk"]), (60, "medium"))
        for dimension in DIMENSIONS:
            prefix = RECORD_PREFIX[dimension]
            self.assertEqual(row[f"{dimension}_points"], record[f"{prefix}_points"], dimension)
            self.assertAlmostEqual(
                float(row[f"{dimension}_weight"]), record[f"{prefix}_weight"], msg=dimension
            )
        self.assertEqual(
            (
                row["last_day"],
                row["recency_days"],
                row["recent"],
                row["orders"],
                row["open_orders"],
                row["complaints"],
                row["unresolved"],
                row["needs_match"],
            ),
            (
                record.last_interaction_date,
                record.recency_days,
                record.interaction_count,
                record.order_count,
                record.open_order_count,
                record.complaint_count,
                record.complaint_open_count,
                record.needs_match,
            ),
        )
        self.assertEqual((row["recent"], row["open_orders"], row["unresolved"]), (4, 1, 1))
        self.assertAlmostEqual(float(row["frequency"]), record.frequency_value)
        self.assertEqual(float(row["complaint_value"]), record.complaint_value)

    def test_history_ignores_the_manual_override(self):
        customer, record = self.seed_history()
        record = self.score(customer, TODAY)
        with freeze_time(self.at(TODAY)):
            record.write(
                {
                    "override_active": True,
                    "override_score": 95,
                    "override_reason": "Signed a framework contract at the trade fair.",
                    "override_expiry": date(2024, 7, 5),
                }
            )

        row = self.scored_row(record, TODAY)

        self.assertEqual(record.score, 95)
        self.assertEqual((row["raw_score"], row["risk"]), (60, "medium"))

    def test_a_draft_scorecard_scores_every_customer(self):
        _customer, record = self.seed_history()
        draft = self.scorecard.copy(
            {
                "name": "Recency first",
                "active": False,
                "weight_recency": 40,
                "weight_frequency": 10,
                "weight_complaints": 10,
            }
        )

        row = self.scored_row(record, AS_OF, scorecard=draft)

        # 100x40 + 40x10 + 80x20 + 20x10 + 60x20 = 7400 -> 74
        self.assertEqual((row["raw_score"], row["risk"]), (74, "medium"))
        self.assertEqual(row["scorecard_id"], draft.id)
        self.assertEqual(float(row["recency_weight"]), 40.0)

    def test_before_any_interaction_the_customer_has_too_little_data(self):
        _customer, record = self.seed_history()

        row = self.scored_row(record, date(2023, 12, 31))

        # No interaction yet: no recency nor frequency (45 % of the weight); no order
        # (30), one complaint, resolved (70), needs medium (60): 55 % < 60 % needed.
        self.assertIsNone(row["last_day"])
        self.assertEqual((row["orders"], row["open_orders"]), (0, 0))
        self.assertEqual((row["complaints"], row["unresolved"]), (1, 0))
        self.assertIsNone(row["raw_score"])
        self.assertEqual(row["state"], "insufficient_data")
