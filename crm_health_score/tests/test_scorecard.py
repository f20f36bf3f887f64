# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthScorecard(HealthCase):
    """Invalid scorecards are refused with clear messages; a preview shows the
    effect of a change before it is saved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="health_process_admin",
            groups="crm_process_std_base.group_process_admin",
        )

    def _bands(self, dimension, edges):
        """Bands as (from, to, points) for one dimension, as o2m commands."""
        return [
            (0, 0, {"dimension": dimension, "value_from": f, "value_to": t, "points": p})
            for f, t, p in edges
        ]

    def test_weights_not_adding_up_to_100_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "weights add up to 110 %"):
            self.scorecard.with_user(self.admin).weight_needs = 30

    def test_overlapping_bands_are_refused_naming_dimension_and_values(self):
        band = self.scorecard.band_ids.filtered(
            lambda b: b.dimension == "orders" and b.value_from == 1
        )
        with self.assertRaisesRegex(
            ValidationError, r"bands of Orders \(last 3 months\) overlap between 2 and 3"
        ):
            self.scorecard.with_user(self.admin).write(
                {"band_ids": [(1, band.id, {"value_to": 3})]}
            )

    def test_gapped_bands_are_refused(self):
        band = self.scorecard.band_ids.filtered(
            lambda b: b.dimension == "recency" and b.value_from == 15
        )
        with self.assertRaisesRegex(
            ValidationError, "bands of Days Since Last Interaction leave a gap between 15 and 20"
        ):
            self.scorecard.with_user(self.admin).write(
                {"band_ids": [(1, band.id, {"value_from": 20})]}
            )

    def test_bands_must_start_at_zero_and_end_open(self):
        with self.assertRaisesRegex(ValidationError, "must start at 0, not at 1") as error:
            self.env["crm.health.scorecard"].with_user(self.admin).create(
                {
                    "name": "Partial",
                    "active": False,
                    "weight_recency": 100,
                    "weight_frequency": 0,
                    "weight_orders": 0,
                    "weight_complaints": 0,
                    "weight_needs": 0,
                    "band_ids": self._bands("recency", [(1, 30, 100), (30, 60, 50)]),
                }
            )
        self.assertIn("stop at 60", str(error.exception))

    def test_thresholds_out_of_order_are_refused(self):
        with self.assertRaisesRegex(
            ValidationError, r"medium risk from \(95\) < low risk from \(90\)"
        ):
            self.scorecard.with_user(self.admin).medium_risk_threshold = 95

    def test_weighted_dimension_without_band_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "Needs Match has a weight but no scoring band"
        ):
            self.scorecard.with_user(self.admin).write(
                {"band_ids": [(2, b.id) for b in self.scorecard.band_ids if b.dimension == "needs"]}
            )

    def test_band_saved_on_its_own_keeps_its_scorecard_valid(self):
        first = self.scorecard.band_ids.filtered(
            lambda b: b.dimension == "recency" and b.value_from == 0
        )
        with self.assertRaisesRegex(
            ValidationError, "bands of Days Since Last Interaction overlap between 8 and 10"
        ):
            first.with_user(self.admin).value_to = 10
        with self.assertRaisesRegex(
            ValidationError, "Days Since Last Interaction has a weight but no scoring band"
        ):
            self.scorecard.band_ids.filtered(lambda b: b.dimension == "recency").with_user(
                self.admin
            ).unlink()

    def test_bands_edited_through_the_scorecard_are_checked_once_all_saved(self):
        # moving the 8-day edge to 10: the first band grows before the second shrinks
        recency = self.scorecard.band_ids.filtered(lambda b: b.dimension == "recency")
        first = recency.filtered(lambda b: b.value_from == 0)
        second = recency.filtered(lambda b: b.value_from == 8)
        self.scorecard.with_user(self.admin).write(
            {"band_ids": [(1, first.id, {"value_to": 10}), (1, second.id, {"value_from": 10})]}
        )
        self.assertEqual((first.value_to, second.value_from), (10, 10))

    def test_only_one_active_scorecard_per_company(self):
        copy = self.scorecard.copy({"name": "Second", "active": False})
        with self.assertRaisesRegex(ValidationError, "Only one scorecard may be active"):
            copy.active = True

    def test_preview_shows_risk_distribution_before_saving(self):
        self.score(self.seed_example_a(TODAY), TODAY)  # 85, medium today
        form = Form(self.scorecard.with_user(self.admin))
        self.assertIn("Medium risk", form.preview_html)

        form.low_risk_threshold = 80

        # one more low-risk customer, one medium less, nothing saved yet
        preview = form.preview_html
        self.assertRegex(
            preview, r"Low risk</td><td[^>]*>\d+</td><td[^>]*>\d+</td><td[^>]*>\+[1-9]"
        )
        self.scorecard.invalidate_recordset()
        self.assertEqual(self.scorecard.low_risk_threshold, 90)

    def test_preview_lists_the_problems_of_unsaved_values(self):
        form = Form(self.scorecard.with_user(self.admin))
        form.weight_orders = 50
        self.assertIn("weights add up to 130 %", form.preview_html)
        self.assertEqual(form.weight_total, 130)
