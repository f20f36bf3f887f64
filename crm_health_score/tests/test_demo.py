# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's health history tells the same story as today's
scores (the test database is built with demo data)."""

from odoo.tests import TransactionCase

from ..models.crm_health_intervention_rule import POINT_COLUMNS as POINTS
from ..models.crm_health_scorecard import WEIGHT_FIELDS, round_half_up

DEMO_CUSTOMERS = ["huaxin", "yy", "everbright", "northwind", "bluewave"]


def sign(value):
    return (value > 0) - (value < 0)


class TestHealthDemo(TransactionCase):
    def setUp(self):
        super().setUp()
        self.card = self.env.ref("crm_health_score.crm_health_scorecard_default")
        self.compiled = self.card._compile()

    def history(self, key):
        """The demo snapshots of a customer, oldest first."""
        return self.env["crm.health.snapshot"].concat(
            *(self.env.ref(f"crm_health_score.demo_snapshot_{key}_{week}") for week in (4, 3, 2, 1))
        )

    def test_demo_snapshots_points_add_up_to_their_score(self):
        for key in DEMO_CUSTOMERS:
            previous = None
            for snapshot in self.history(key):
                with self.subTest(snapshot=snapshot.period_start, customer=key):
                    weighted = sum(
                        snapshot[POINTS[dimension]] * self.card[weight]
                        for dimension, weight in WEIGHT_FIELDS.items()
                    )
                    self.assertEqual(round_half_up(weighted / 100), snapshot.score)
                    self.assertEqual(
                        snapshot.risk_level, self.card._risk_for(self.compiled, snapshot.score)
                    )
                    self.assertEqual(
                        snapshot.trend, snapshot.score - previous.score if previous else 0
                    )
                    self.assertEqual(snapshot.health_id.partner_id, snapshot.partner_id)
                previous = snapshot

    def test_what_changed_explains_the_demo_trend(self):
        labels = dict(
            self.env["crm.health.band"]._fields["dimension"]._description_selection(self.env)
        )
        for key in DEMO_CUSTOMERS:
            with self.subTest(customer=key):
                partner = self.env.ref(f"crm_health_score.demo_partner_{key}")
                record = partner.health_score_id
                last_week = self.history(key)[-1]
                self.assertEqual(record._previous_snapshot(), last_week)
                self.assertEqual(record.previous_score, last_week.score)
                self.assertEqual(record.trend, record.computed_score - last_week.score)
                self.assertTrue(record.trend)
                impacts = {
                    dimension: (record[name] - last_week[name])
                    * record[name.replace("points", "weight")]
                    / 100
                    for dimension, name in POINTS.items()
                }
                # the moves of the dimensions account for the change of the score
                self.assertAlmostEqual(sum(impacts.values()), record.trend, delta=1)
                self.assertEqual(sign(sum(impacts.values())), sign(record.trend))
                summary = record.change_summary
                self.assertIn(
                    f"computed score {last_week.score} → {record.computed_score}", summary
                )
                biggest = max(impacts, key=lambda d: abs(impacts[d]))
                self.assertEqual(sign(impacts[biggest]), sign(record.trend))
                self.assertIn(f"{labels[biggest]}: {last_week[POINTS[biggest]]} → ", summary)

    def test_demo_customer_without_data_has_the_insufficient_data_level(self):
        record = self.env.ref("crm_health_score.demo_partner_sunrise").health_score_id
        self.assertEqual(
            (record.state, record.risk_level), ("insufficient_data", "insufficient_data")
        )
