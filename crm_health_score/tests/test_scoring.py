# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tools import SQL

from .common import HealthCase

TODAY = date(2024, 6, 25)


class TestHealthScoring(HealthCase):
    """Banding and weighting give the hand-computed scores of seed template 4."""

    def test_seed_example_tech_company_scores_85_medium_with_its_advice(self):
        customer = self.seed_example_a(TODAY)

        record = self.score(customer, TODAY)

        # points x weight: 80x25 + 70x20 + 80x20 + 100x15 + 100x20 = 8500 -> 85
        self.assertEqual(
            (
                record.recency_points,
                record.frequency_points,
                record.order_points,
                record.complaint_points,
                record.needs_points,
            ),
            (80, 70, 80, 100, 100),
        )
        self.assertEqual(
            (
                record.recency_weight,
                record.frequency_weight,
                record.order_weight,
                record.complaint_weight,
                record.needs_weight,
            ),
            (25, 20, 20, 15, 20),
        )
        self.assertEqual(record.state, "scored")
        self.assertEqual(record.score, 85)
        self.assertEqual(record.risk_level, "medium")
        self.assertEqual(record.frequency_value, 2.0)
        self.assertIn("Add one follow-up per month", record.intervention)

    def test_seed_example_yy_trading_scores_40_high_with_its_advice(self):
        customer = self.seed_example_yy(TODAY)

        record = self.score(customer, TODAY)

        # 60x25 + 40x20 + 30x20 + 40x15 + 25x20 = 4000 -> 40
        self.assertEqual(record.score, 40)
        self.assertEqual(record.risk_level, "high")
        self.assertEqual(record.complaint_value, 2.0)
        self.assertIn("within 3 days", record.intervention)
        self.assertIn("Resolve the open complaints", record.intervention)

    def test_missing_needs_match_reweights_the_other_dimensions(self):
        customer = self.seed_example_a(TODAY)
        customer.needs_match = False

        record = self.score(customer, TODAY)

        # (80x25 + 70x20 + 80x20 + 100x15) / 80 = 6500 / 80 = 81.25 -> 81
        self.assertEqual(record.state, "scored")
        self.assertEqual(record.score, 81)
        self.assertEqual(record.needs_weight, 0)
        self.assertEqual(record.recency_weight, 31.25)
        self.assertIn("Needs Match", record.missing_data)

    def test_customer_without_interactions_has_insufficient_data_not_a_bad_score(self):
        customer = self.make_customer("Brand New Ltd", needs_match="high")
        self.open_opportunity(customer)

        record = self.score(customer, TODAY)

        # only orders, complaints and needs have data: 55 % of the weight < 60 %
        self.assertEqual(record.state, "insufficient_data")
        self.assertEqual(record.risk_level, "insufficient_data")
        self.assertFalse(record.score)
        self.assertFalse(record.churn_risk)
        self.assertFalse(record.intervention_rule_ids)
        self.assertIn("Days Since Last Interaction", record.missing_data)
        # the lists (ordered by score) show it before a scored customer, as 0
        scored = self.score(self.seed_example_a(TODAY), TODAY)
        self.assertEqual(
            self.env["crm.health.score"].search([("id", "in", (record | scored).ids)]).ids,
            [record.id, scored.id],
        )

    def test_missing_data_is_listed_the_way_the_users_language_lists(self):
        customer = self.make_customer("Quiet Ltd")
        self.open_opportunity(customer)
        record = self.score(customer, TODAY)
        self.assertEqual(
            record.missing_data,
            "Days Since Last Interaction, Interactions per Month, and Needs Match",
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_health_score"], ["zh_CN"])
        record.invalidate_recordset(["missing_data"])
        self.assertEqual(
            record.with_context(lang="zh_CN").missing_data,
            "距最近互动天数、互动频率（次/月）和需求匹配度",
        )

    def test_risk_thresholds_split_scores_at_60_and_90(self):
        compiled = self.scorecard._compile()
        risk = self.env["crm.health.scorecard"]._risk_for
        self.assertEqual(
            [risk(compiled, score) for score in (0, 59, 60, 89, 90, 100)],
            ["high", "high", "medium", "medium", "low", "low"],
        )

    def _score_inputs(self, **inputs):
        """Score one row of raw inputs with the default scorecard's SQL."""
        types = {
            "last_day": "date",
            "recency_days": "int",
            "recent": "int",
            "orders": "int",
            "complaints": "int",
            "unresolved": "int",
            "needs_match": "varchar",
            "override_active": "bool",
            "override_score": "int",
            "override_risk_level": "varchar",
        }
        values = {"last_day": TODAY, "override_active": False, **inputs}
        source = SQL(
            "(SELECT %s) AS src",
            SQL(", ").join(
                SQL(
                    "%s::%s AS %s",
                    values.get(k, 0 if t == "int" else None),
                    SQL(t),
                    SQL.identifier(k),
                )
                for k, t in types.items()
            ),
        )
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s AS v",
                self.scorecard._scoring_sql(
                    self.scorecard._compile(), SQL("(SELECT * FROM %s)", source)
                ),
            )
        )
        return self.env.cr.dictfetchone()

    def test_bands_give_points_at_their_edges(self):
        best = self._score_inputs(recency_days=7, recent=24, orders=4, needs_match="high")
        self.assertEqual(best["raw_score"], 100)
        result = self._score_inputs(
            recency_days=8, recent=23, orders=3, complaints=1, needs_match="medium"
        )
        self.assertEqual(
            [
                result[f"{d}_points"]
                for d in ("recency", "frequency", "orders", "complaints", "needs")
            ],
            [80, 90, 80, 70, 60],
        )
        # 80x25 + 90x20 + 80x20 + 70x15 + 60x20 = 7650 -> 77 (76.5 rounds half up)
        self.assertEqual((result["raw_score"], result["risk"]), (77, "medium"))

    def test_unresolved_complaint_factor_of_the_scorecard_applies(self):
        self.scorecard.complaint_unresolved_factor = 3
        result = self._score_inputs(complaints=2, unresolved=1, needs_match="high")
        self.assertEqual(result["complaint_value"], 4)
        self.assertEqual(result["complaints_points"], 20)

    def test_changed_scorecard_changes_the_score(self):
        customer = self.seed_example_a(TODAY)
        self.scorecard.write({"low_risk_threshold": 85})

        record = self.score(customer, TODAY)

        self.assertEqual(record.risk_level, "low")
        self.assertEqual(record.scorecard_id, self.scorecard)

    def test_archived_customer_is_frozen_not_scored_as_high_risk(self):
        customer = self.seed_example_yy(TODAY)
        record = self.score(customer, TODAY)
        self.assertEqual(record.score, 40)
        customer.action_archive()

        record = self.score(customer, TODAY + timedelta(days=60))

        self.assertEqual(record.state, "frozen")
        self.assertEqual(record.score, 40)
        self.assertFalse(record.churn_risk)
        self.assertEqual(record.recency_days, 20, "the frozen record keeps its last values")

        customer.action_unarchive()
        record = self.score(customer, TODAY + timedelta(days=60))
        self.assertEqual(record.state, "scored")
        self.assertEqual(record.recency_days, 80)

    def test_batch_scope_selects_exactly_the_batch_of_each_kind(self):
        """The scheduled run reads a batch's inputs by a condition instead of its ids:
        the condition selects the same records, scored ones first, then new ones."""
        customers = [self.seed_example_a(TODAY) for _i in range(5)]
        self.engine._sync_scope()
        records = self.env["crm.health.score"].search(
            [("partner_id", "in", [c.id for c in customers])], order="id"
        )
        start = self.at(TODAY, 23)

        def selected(scope):
            self.env.cr.execute(SQL("SELECT id FROM crm_health_score WHERE %s ORDER BY id", scope))
            return [row[0] for row in self.env.cr.fetchall()]

        with freeze_time(start):
            # two records scored before the run, three never scored
            self.engine._recompute(records[1:2].ids + records[3:4].ids)
        with freeze_time(self.at(TODAY + timedelta(days=1), 23)):
            run_start = self.at(TODAY + timedelta(days=1), 22)
            health_ids, scope = self.engine._pending_batch(run_start, 1)
            self.assertEqual(health_ids, records[1:2].ids)
            self.assertEqual(selected(scope), health_ids)
            health_ids, scope = self.engine._pending_batch(run_start, 10)
            self.assertEqual(health_ids, records[1:2].ids + records[3:4].ids)
            self.assertEqual(selected(scope), health_ids)
            # once the scored ones are done: the new ones
            self.engine._recompute(health_ids, scope=scope)
            health_ids, scope = self.engine._pending_batch(run_start, 2)
            self.assertEqual(health_ids, records[0:1].ids + records[2:3].ids)
            self.assertEqual(selected(scope), health_ids)
            self.engine._recompute(health_ids, scope=scope)
            health_ids, scope = self.engine._pending_batch(run_start, 10)
            self.assertEqual(health_ids, records[4:5].ids)
            self.assertEqual(selected(scope), health_ids)
            self.engine._recompute(health_ids, scope=scope)
            self.assertEqual(self.engine._pending_batch(run_start, 10), ([], None))
        records.invalidate_recordset()
        self.assertEqual(records.mapped("score"), [85] * 5)

    def test_recompute_all_scores_every_customer_in_batches_without_redoing_any(self):
        customers = [self.seed_example_a(TODAY) for _i in range(3)]
        self.engine._sync_scope()
        records = self.env["crm.health.score"].search(
            [("partner_id", "in", [c.id for c in customers])]
        )
        start = self.at(TODAY, 23)
        with freeze_time(start):
            # a first, interrupted run did one batch
            self.engine._recompute(records[:1].ids)
            pending = self.engine._pending_ids(start, 10_000)
            self.assertNotIn(records[0].id, pending)
            self.assertIn(records[1].id, pending)
            self.assertTrue(self.engine._run(start, batch_size=1))
            self.assertFalse(self.engine._pending_ids(start, 10_000))
        records.invalidate_recordset()
        self.assertEqual(records.mapped("score"), [85, 85, 85])
