# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scorecard backtest and weights learned from history, with the expected figures
worked out by hand: first on counts (the statistics alone), then end to end on
customers with dated follow-ups, opportunities and complaints."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..models import crm_health_backtest_stats as stats
from .common import HealthCase

# Frozen "today" of the end-to-end cases: the last month-end whose 30-day horizon has
# passed is 30 April (31 May + 30 days is after 15 June); the horizon ends 30 May.
TODAY = date(2025, 6, 15)
MONTH_END = date(2025, 4, 30)
AFTER = date(2025, 5, 20)  # an interaction within the horizon: the customer stayed
WEIGHTS = {"recency": 25, "frequency": 20, "orders": 20, "complaints": 15, "needs": 20}


def points(recency, frequency, orders, complaints, needs):
    return {
        "recency": recency,
        "frequency": frequency,
        "orders": orders,
        "complaints": complaints,
        "needs": needs,
    }


# Fitting example (also built from real customers below): 32 churners with fresh
# contact but a low needs match, 16 customers who stayed despite a stale contact and two
# unresolved complaints, 16 who stayed with fresh contact. With the default weights:
#   churners        100x25 + 0x20 + 30x20 + 100x15 + 25x20  = 5100 -> 51
#   complaining     60x25 + 0x20 + 30x20 + 20x15 + 100x20   = 4400 -> 44
#   fresh           100x25 + 0x20 + 30x20 + 100x15 + 100x20 = 6600 -> 66
# The churners rank below the fresh ones (32 x 16 = 512 pairs) and above the complaining
# ones (0 pairs): AUC = 512 / (32 x 32) = 0.5.
SEPARATING_CELLS = [
    (points(100, 0, 30, 100, 25), 32, 32),
    (points(60, 0, 30, 20, 100), 0, 16),
    (points(100, 0, 30, 100, 100), 0, 16),
]


@tagged("post_install", "-at_install")
class TestBacktestStatistics(TransactionCase):
    """The statistics on counts, as PostgreSQL aggregates them."""

    def test_auc_counts_pairs_and_ties_half(self):
        # Score: (churned, stayed). Churner/stayer pairs where the churner scores lower:
        #   2 churners at 40: 6 + 9 stayers above, 2 tied -> (15 + 1) x 2 = 32
        #   2 churners at 70: 9 stayers above, 6 tied     -> (9 + 3) x 2  = 24
        #   1 churner at 95:  none above, 9 tied          ->  4.5
        # AUC = 60.5 / (5 churners x 17 stayers) = 60.5 / 85
        counts = {40: (2, 2), 70: (2, 6), 95: (1, 9)}
        self.assertEqual(stats.auc_area(counts), 121)
        self.assertAlmostEqual(stats.auc(counts), 60.5 / 85)
        # every churner below every stayer; a score that tells nothing
        self.assertEqual(stats.auc({10: (3, 0), 90: (0, 5)}), 1.0)
        self.assertEqual(stats.auc({50: (3, 6)}), 0.5)
        # nobody churned, or nobody stayed: no AUC
        self.assertIsNone(stats.auc({50: (0, 6)}))
        self.assertIsNone(stats.auc({50: (4, 0)}))

    def test_rates_and_lift(self):
        # high risk 2 of 4 churned (50 %), low risk 1 of 10 (10 %): lift 5
        self.assertEqual(stats.lift(stats.rate(2, 4), stats.rate(1, 10)), 5.0)
        # no low-risk customer churned (or none at all): no lift
        self.assertIsNone(stats.lift(0.5, 0.0))
        self.assertIsNone(stats.lift(0.5, stats.rate(0, 0)))

    def test_score_is_the_scorecards_rounding_half_up(self):
        # Seed template 4: 80x25 + 70x20 + 80x20 + 100x15 + 100x20 = 8500 -> 85 and
        # 60x25 + 40x20 + 30x20 + 40x15 + 25x20 = 4000 -> 40
        self.assertEqual(stats.score(points(80, 70, 80, 100, 100), WEIGHTS, 60), 85)
        self.assertEqual(stats.score(points(60, 40, 30, 40, 25), WEIGHTS, 60), 40)
        # no needs match: 80 % of the weight re-weighted, 5400 / 80 = 67.5 -> 68
        self.assertEqual(stats.score(points(100, 40, 30, 100, None), WEIGHTS, 60), 68)
        # never any interaction nor needs match: 35 % of the weight, below 60 %
        self.assertIsNone(stats.score(points(None, None, 30, 100, None), WEIGHTS, 60))
        self.assertEqual(stats.risk(90, 90, 60), "low")
        self.assertEqual(stats.risk(89, 90, 60), "medium")
        self.assertEqual(stats.risk(59, 90, 60), "high")

    def test_fitting_moves_weight_to_the_dimension_that_separates_churners(self):
        fitted = stats.fit_weights(SEPARATING_CELLS, WEIGHTS, list(WEIGHTS), 60)
        # Moving 5 points from complaints to needs (the only move that helps):
        #   churners    100x25 + 30x20 + 100x10 + 25x25  = 4725 -> 47
        #   complaining  60x25 + 30x20 + 20x10 + 100x25  = 4800 -> 48
        #   fresh       100x25 + 30x20 + 100x10 + 100x25 = 6600 -> 66
        # every churner below every customer who stayed: AUC 1, no move does better.
        self.assertEqual(
            fitted, {"recency": 25, "frequency": 20, "orders": 20, "complaints": 10, "needs": 25}
        )
        before = stats.auc(stats.score_counts(SEPARATING_CELLS, WEIGHTS, 60))
        after = stats.auc(stats.score_counts(SEPARATING_CELLS, fitted, 60))
        self.assertEqual((before, after), (0.5, 1.0))

    def test_fitting_keeps_every_customer_scored(self):
        # Without needs match the churners have 80 % of the weight; a minimum data
        # weight of 80 % forbids any move of weight onto needs, whatever it would gain.
        cells = [
            (points(100, 0, 30, 100, None), 10, 10),
            (points(60, 0, 30, 20, 100), 0, 10),
        ]
        fitted = stats.fit_weights(cells, WEIGHTS, list(WEIGHTS), 80)
        self.assertEqual(fitted["needs"], 20)
        self.assertEqual(sum(fitted.values()), 100)
        self.assertIsNotNone(stats.score_counts(cells, fitted, 80))

    def test_thresholds_split_where_churn_rates_differ_most(self):
        # 10 customers at 20 (8 churned), 10 at 50 (3), 10 at 80 (1): the three
        # levels 80 %, 30 %, 10 % keep all the information; every split from 21 / 51
        # to 50 / 80 gives them, the lowest wins.
        counts = {20: (8, 2), 50: (3, 7), 80: (1, 9)}
        self.assertEqual(stats.fit_thresholds(counts), (21, 51))
        # churn rates that do not fall from high to low risk: no split qualifies
        self.assertIsNone(stats.fit_thresholds({20: (1, 9), 50: (5, 5), 80: (9, 1)}))


class BacktestCase(HealthCase):
    """A company of its own (its customers only are scored), its process
    administrator, and the helpers that seed dated customer histories."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("crm_health_score.churn_days", 30)
        cls.company = cls.env["res.company"].create({"name": "Backtest Trading Co"})
        cls.admin = new_test_user(
            cls.env,
            login="backtest_admin",
            groups="crm_process_std_base.group_process_admin",
            company_id=cls.company.id,
            company_ids=[cls.company.id, cls.env.ref("base.main_company").id],
        )
        cls.staff.company_ids |= cls.company

    def customer(self, name, touches, after=False, **vals):
        """A customer of the company with follow-ups on ``touches`` (dates) and, when
        ``after``, one within the horizon (it stayed)."""
        customer = self.make_customer(name, company_id=self.company.id, **vals)
        for day in touches:
            self.log_followup(customer, day, company_id=self.company.id)
        if after:
            self.log_followup(customer, AFTER, company_id=self.company.id)
        return customer

    def backdate(self, lead, day):
        """The opportunity was created on ``day`` (the ORM stamps the transaction's
        time, not the frozen one)."""
        lead.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", (self.at(day, 8), lead.id)
        )
        lead.invalidate_recordset(["create_date"])
        return lead

    def scope(self, customers):
        with freeze_time(self.at(TODAY, 9)):
            self.engine._sync_scope(customers.ids)

    def run_backtest(self, card, **vals):
        with freeze_time(self.at(TODAY, 10)):
            backtest = (
                self.env["crm.health.backtest"]
                .with_user(self.admin)
                .with_company(self.company)
                .create({"scorecard_id": card.id, "months": 1, "horizon_days": 30, **vals})
            )
            backtest.action_run()
        return backtest


@tagged("post_install", "-at_install")
class TestBacktest(BacktestCase):
    def recency_card(self):
        """A draft scorecard of the company scoring the last interaction alone: 0-7
        days 95 points, 8-19 days 70, 20 days and more 40 (the score is the points)."""
        return self.env["crm.health.scorecard"].create(
            {
                "name": "Recency only",
                "company_id": self.company.id,
                "active": False,
                "weight_recency": 100,
                "weight_frequency": 0,
                "weight_orders": 0,
                "weight_complaints": 0,
                "weight_needs": 0,
                "band_ids": [
                    Command.create(
                        {"dimension": "recency", "value_from": 0, "value_to": 8, "points": 95}
                    ),
                    Command.create(
                        {"dimension": "recency", "value_from": 8, "value_to": 20, "points": 70}
                    ),
                    Command.create({"dimension": "recency", "value_from": 20, "points": 40}),
                ],
            }
        )

    def seed_small_history(self):
        """22 customers scored on 30 April, 5 of whom churned by 30 May:

        - 40 points (last contact 5 April, 25 days): 4 customers, 2 silent since;
        - 70 points (15 April, 15 days): 8 customers, 1 silent since and 1 still in
          touch but marked lost now;
        - 95 points (25 April, 5 days): 10 customers, 1 silent since; 1 silent too but
          with an opportunity open since 20 April (not churned).

        Left out: a customer silent since 20 March (churned already on 30 April), one
        without any interaction (too little data), and one of another company."""
        seeded = self.env["res.partner"]
        for score, day, stayed in ((40, 5, 2), (70, 15, 6), (95, 25, 8)):
            for number in range(stayed):
                seeded |= self.customer(f"{score} stayed {number}", [date(2025, 4, day)], True)
        seeded |= self.customer("40 silent A", [date(2025, 4, 5)])
        seeded |= self.customer("40 silent B", [date(2025, 4, 5)])
        seeded |= self.customer("70 silent", [date(2025, 4, 15)])
        lost = self.customer("70 lost", [date(2025, 4, 15)], True)
        seeded |= lost
        seeded |= self.customer("95 silent", [date(2025, 4, 25)])
        waiting = self.customer("95 waiting for an offer", [date(2025, 4, 25)])
        offer = self.env["crm.lead"].create(
            {
                "name": "New line of products",
                "type": "opportunity",
                "partner_id": waiting.id,
                "company_id": self.company.id,
                "stage_id": self.new_stage.id,
            }
        )
        self.backdate(offer, date(2025, 4, 20))
        seeded |= waiting
        seeded |= self.customer("Gone before", [date(2025, 3, 20)])
        seeded |= self.make_customer(
            "No contact yet", company_id=self.company.id, needs_match="high"
        )
        other = self.make_customer("Sister company customer")
        self.log_followup(other, date(2025, 4, 25))
        self.scope(seeded | other)
        lost.customer_type = "lost"  # today, after its health record exists
        return seeded

    def test_backtest_figures_per_risk_level(self):
        self.seed_small_history()
        card = self.recency_card()

        backtest = self.run_backtest(card)

        self.assertEqual(backtest.state, "done")
        self.assertEqual((backtest.date_first, backtest.date_last), (MONTH_END, MONTH_END))
        self.assertEqual(backtest.company_ids, self.company)
        # 22 customers scored, 5 churned (22.7 %; figures are stored as shown)
        self.assertEqual(
            (backtest.customer_count, backtest.churn_count, backtest.churned_customer_count),
            (22, 5, 5),
        )
        self.assertEqual(backtest.churn_rate, 22.7)
        # high 2 / 4 = 50 %, medium 2 / 8 = 25 %, low 1 / 10 = 10 %
        figures = {
            level: (
                backtest[f"{level}_customers"],
                backtest[f"{level}_churned"],
                backtest[f"{level}_rate"],
            )
            for level in ("high", "medium", "low")
        }
        self.assertEqual(
            figures, {"high": (4, 2, 50.0), "medium": (8, 2, 25.0), "low": (10, 1, 10.0)}
        )
        self.assertAlmostEqual(backtest.lift, 5.0)  # 50 % / 10 %
        # AUC = 60.5 / 85 = 0.7118 (worked out on the same counts in
        # TestBacktestStatistics), shown 0.712
        self.assertEqual(backtest.auc, 0.712)
        # of the 5 churners 2 were high risk (40 %), 4 high or medium (80 %)
        self.assertAlmostEqual(backtest.flagged_high_share, 40.0)
        self.assertAlmostEqual(backtest.flagged_high_medium_share, 80.0)
        # the month's lines for the graph
        self.assertEqual(
            [
                (ln.date, ln.risk_level, ln.customers, ln.churned, ln.churn_rate)
                for ln in backtest.line_ids
            ],
            [
                (MONTH_END, "high", 4, 2, 50.0),
                (MONTH_END, "medium", 8, 2, 25.0),
                (MONTH_END, "low", 10, 1, 10.0),
            ],
        )
        # recency alone is the score; the other dimensions have no band, no data
        by_dimension = {line.dimension: line for line in backtest.dimension_ids}
        self.assertEqual(by_dimension["recency"].auc, 0.712)
        self.assertEqual(by_dimension["recency"].customers, 22)
        self.assertEqual((by_dimension["needs"].customers, by_dimension["needs"].auc), (0, 0.0))
        # 5 churners: too few to judge, said instead of the figures
        self.assertFalse(backtest.enough_data)
        self.assertEqual(
            backtest.too_few_message,
            "Only 5 customers churned in the period: too few to judge the scorecard "
            "(at least 30 needed).",
        )
        html = backtest.with_user(self.admin).results_html or ""
        self.assertIn("High risk", html)
        self.assertIn("50.0 %", html)

    def test_a_draft_scorecard_is_backtested_without_scoring_anybody(self):
        customers = self.seed_small_history()
        card = self.recency_card()
        before = self.env["crm.health.score"].search([("partner_id", "in", customers.ids)])
        before_values = before.read(["computed_score", "scorecard_id", "computed_on"])

        backtest = self.run_backtest(card)

        self.assertEqual(backtest.customer_count, 22)
        self.assertFalse(card.active)
        self.assertEqual(
            before.read(["computed_score", "scorecard_id", "computed_on"]), before_values
        )

    def test_too_few_churners_cannot_propose_weights(self):
        self.seed_small_history()
        backtest = self.run_backtest(self.recency_card())
        with self.assertRaisesRegex(Exception, "Only 5 customers churned"):
            backtest.with_user(self.admin).action_propose_weights()
        self.assertFalse(backtest.proposed_scorecard_id)


@tagged("post_install", "-at_install")
class TestProposedWeights(BacktestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company's own active scorecard: the default one (weights 25/20/20/15/20).
        cls.card = cls.scorecard.copy(
            {"name": "Trading Co scorecard", "company_id": cls.company.id, "active": True}
        )

    def seed_separating_history(self):
        """SEPARATING_CELLS from real customers, on 30 April: 32 churners with a low
        needs match (contact 27 April, silent since), 16 who stayed with a high needs
        match but a stale contact (10 April) and two unresolved complaints (March),
        16 who stayed with a high needs match and fresh contact (27 April)."""
        seeded = self.env["res.partner"]
        for number in range(32):
            seeded |= self.customer(f"Churner {number}", [date(2025, 4, 27)], needs_match="low")
        for number in range(16):
            customer = self.customer(
                f"Complaining {number}", [date(2025, 4, 10)], True, needs_match="high"
            )
            self.file_complaint(customer, date(2025, 3, 1))
            self.file_complaint(customer, date(2025, 3, 15))
            seeded |= customer
        for number in range(16):
            seeded |= self.customer(
                f"Fresh {number}", [date(2025, 4, 27)], True, needs_match="high"
            )
        self.scope(seeded)
        return seeded

    def test_propose_weights_raises_the_separating_dimension(self):
        self.seed_separating_history()
        backtest = self.run_backtest(self.card, fit_thresholds=True)
        self.assertEqual((backtest.churned_customer_count, backtest.customer_count), (32, 64))
        self.assertTrue(backtest.enough_data)
        self.assertAlmostEqual(backtest.auc, 0.5)
        # the stored aggregate reproduces the scores of the SQL scoring exactly
        compiled = self.card._compile()
        for cell_points, score, *_counts in backtest.sudo().cell_data:
            named = dict(zip(WEIGHTS, cell_points, strict=True))
            self.assertEqual(stats.score(named, compiled["weights"], 60), score)

        with freeze_time(self.at(TODAY, 11)):
            backtest.with_user(self.admin).action_propose_weights()

        proposed = backtest.proposed_scorecard_id
        weights = {line.dimension: line.proposed_weight for line in backtest.dimension_ids}
        # worked out in TestBacktestStatistics: 5 points from complaints to needs
        self.assertEqual(
            weights, {"recency": 25, "frequency": 20, "orders": 20, "complaints": 10, "needs": 25}
        )
        self.assertEqual(
            {line.dimension: line.weight_change for line in backtest.dimension_ids},
            {"recency": 0, "frequency": 0, "orders": 0, "complaints": -5, "needs": 5},
        )
        self.assertEqual(
            (proposed.weight_needs, proposed.weight_complaints, proposed.weight_total),
            (25, 10, 100),
        )
        self.assertTrue(all(weight >= 0 for weight in weights.values()))
        self.assertEqual(backtest.proposed_auc, 1.0)
        self.assertGreaterEqual(backtest.proposed_auc, backtest.auc)
        self.assertEqual(proposed.name, "Trading Co scorecard (proposed 2025-06-15)")
        self.assertEqual(proposed.company_id, self.company)
        self.assertEqual(len(proposed.band_ids), len(self.card.band_ids))
        # 47 (churners) / 48 / 66: no split with falling churn rates and 5 % per level
        # (two levels without churn): the thresholds are kept
        self.assertEqual(
            (backtest.proposed_medium_threshold, backtest.proposed_low_threshold), (60, 90)
        )
        # side by side on 30 April: today 51 / 44 high, 66 medium; proposed 47 / 48
        # high, 66 medium
        self.assertEqual(
            backtest.proposal_data["current"],
            {"high": 48, "medium": 16, "low": 0, "insufficient_data": 0},
        )
        self.assertEqual(
            backtest.proposal_data["proposed"],
            {"high": 48, "medium": 16, "low": 0, "insufficient_data": 0},
        )
        self.assertIn("1.000", backtest.comparison_html)

        # run again: new figures, the proposal compared with the old ones leaves the
        # backtest; its draft scorecard stays
        with freeze_time(self.at(TODAY, 12)):
            backtest.with_user(self.admin).with_company(self.company).action_run()
        self.assertFalse(backtest.proposed_scorecard_id)
        self.assertFalse(backtest.proposal_data)
        self.assertEqual(set(backtest.dimension_ids.mapped("proposed_weight")), {0})
        self.assertEqual(backtest.customer_count, 64)
        self.assertTrue(proposed.exists())
        self.assertFalse(proposed.active)

    def test_nothing_changes_until_the_proposal_is_activated(self):
        customers = self.seed_separating_history()
        backtest = self.run_backtest(self.card)
        with freeze_time(self.at(TODAY, 11)):
            backtest.with_user(self.admin).action_propose_weights()
        proposed = backtest.proposed_scorecard_id
        Scorecard = self.env["crm.health.scorecard"]

        # the proposal is a draft: the company's scorecard is the same, and so are
        # the scores of its customers at the next recompute
        self.assertFalse(proposed.active)
        self.assertEqual(Scorecard._for_companies([self.company.id])[self.company.id], self.card)
        self.assertEqual(
            (self.card.weight_needs, self.card.weight_complaints, self.card.active), (20, 15, True)
        )
        with freeze_time(self.at(TODAY, 12)):
            self.engine._recompute(
                self.env["crm.health.score"].search([("partner_id", "in", customers.ids)]).ids
            )
        self.assertEqual(
            set(
                self.env["crm.health.score"]
                .search([("partner_id", "in", customers.ids)])
                .mapped("scorecard_id")
            ),
            {self.card},
        )

        other_draft = self.card.copy({"name": "Another draft", "active": False})
        # pressed on the form opened from the scorecards' list (archived ones shown)
        proposed.with_user(self.admin).with_company(self.company).with_context(
            active_test=False
        ).action_activate()

        self.assertTrue(proposed.active)
        self.assertFalse(self.card.active)
        listed = Scorecard.with_context(active_test=False)
        self.assertEqual(listed._for_companies([self.company.id])[self.company.id], proposed)
        self.assertFalse(
            any("activated instead" in message.body for message in other_draft.message_ids)
        )
        self.assertTrue(
            any("was activated instead" in message.body for message in self.card.message_ids)
        )


@tagged("post_install", "-at_install")
class TestBacktestRights(HttpCase, BacktestCase):
    """Run over JSON-RPC as each role would: only process administrators run
    backtests, propose weights or activate scorecards; sales managers read the
    backtests of their companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="backtest_seller",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.manager = new_test_user(
            cls.env,
            login="backtest_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="backtest_other_manager",
            groups="sales_team.group_sale_manager",
        )
        cls.card = cls.scorecard.copy(
            {"name": "Rights scorecard", "company_id": cls.company.id, "active": False}
        )

    def press(self, login, model, method, ids, route="/web/dataset/call_button"):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            route, {"model": model, "method": method, "args": [ids], "kwargs": {}}
        )

    def assertRefused(self, error, call):
        with self.assertRaises(JsonRpcException) as caught:
            call()
        self.assertIn(error, str(caught.exception))

    def test_salesperson_cannot_run_nor_propose_nor_activate(self):
        backtest = self.env["crm.health.backtest"].create({"scorecard_id": self.card.id})
        scorecards = (
            self.env["crm.health.scorecard"].with_context(active_test=False).search_count([])
        )
        for method in ("action_run", "action_propose_weights"):
            with self.subTest(method=method):
                self.assertRefused(
                    "AccessError",
                    lambda method=method: self.press(
                        "backtest_seller", "crm.health.backtest", method, backtest.ids
                    ),
                )
        self.assertRefused(
            "AccessError",
            lambda: self.press(
                "backtest_seller", "crm.health.scorecard", "action_activate", self.card.ids
            ),
        )
        self.assertRefused(
            "AccessError",
            lambda: self.press(
                "backtest_seller", "crm.health.scorecard", "action_backtest", self.card.ids
            ),
        )
        backtest.invalidate_recordset()
        self.assertEqual(backtest.state, "draft")
        self.assertFalse(self.card.active)
        self.assertEqual(
            self.env["crm.health.scorecard"].with_context(active_test=False).search_count([]),
            scorecards,
        )

    def test_manager_reads_the_backtests_of_their_companies_only(self):
        backtest = self.env["crm.health.backtest"].create({"scorecard_id": self.card.id})
        # the manager of the company reads it but does not run it
        read = self.press(
            "backtest_manager",
            "crm.health.backtest",
            "read",
            backtest.ids,
            route="/web/dataset/call_kw",
        )
        self.assertEqual(read[0]["scorecard_id"][0], self.card.id)
        self.assertRefused(
            "AccessError",
            lambda: self.press(
                "backtest_manager", "crm.health.backtest", "action_run", backtest.ids
            ),
        )
        # another company's manager does not see it; a salesperson reads no backtest
        self.assertRefused(
            "AccessError",
            lambda: self.press(
                "backtest_other_manager",
                "crm.health.backtest",
                "read",
                backtest.ids,
                route="/web/dataset/call_kw",
            ),
        )
        self.assertRefused(
            "AccessError",
            lambda: self.press(
                "backtest_seller",
                "crm.health.backtest",
                "read",
                backtest.ids,
                route="/web/dataset/call_kw",
            ),
        )

    def test_a_shared_backtest_is_read_where_its_customers_were_counted(self):
        shared = self.scorecard.copy({"name": "Shared draft", "active": False})
        backtest = self.env["crm.health.backtest"].create({"scorecard_id": shared.id})
        self.authenticate("backtest_admin", "backtest_admin")
        self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "crm.health.backtest",
                "method": "action_run",
                "args": [backtest.ids],
                "kwargs": {"context": {"allowed_company_ids": [self.company.id]}},
            },
        )
        backtest.invalidate_recordset()
        # the administrator's company without a scorecard of its own (and shared customers)
        self.assertEqual(
            (backtest.company_id, backtest.company_ids), (self.env["res.company"], self.company)
        )
        read = self.press(
            "backtest_manager",
            "crm.health.backtest",
            "read",
            backtest.ids,
            route="/web/dataset/call_kw",
        )
        self.assertEqual(read[0]["id"], backtest.id)
        # counts of a company the other manager does not work in
        self.assertRefused(
            "AccessError",
            lambda: self.press(
                "backtest_other_manager",
                "crm.health.backtest",
                "read",
                backtest.ids,
                route="/web/dataset/call_kw",
            ),
        )

    def test_process_admin_runs_the_backtest_as_the_web_client_presses_it(self):
        backtest = self.env["crm.health.backtest"].create({"scorecard_id": self.card.id})
        self.authenticate("backtest_admin", "backtest_admin")
        self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "crm.health.backtest",
                "method": "action_run",
                "args": [backtest.ids],
                "kwargs": {"context": {"allowed_company_ids": [self.company.id]}},
            },
        )
        backtest.invalidate_recordset()
        self.assertEqual(backtest.state, "done")
        self.assertEqual(len(backtest.line_ids), 12 * 3)


@tagged("post_install", "-at_install")
class TestBacktestDemo(TransactionCase):
    """The demo's backtest shows what it is for: enough churners to judge, a score
    that ranks them, and a proposal left as a draft."""

    def test_demo_backtest_and_proposal(self):
        backtest = self.env.ref("crm_health_score.demo_backtest", raise_if_not_found=False)
        if not backtest:
            self.skipTest("no demo data in this database")
        standard = self.env.ref("crm_health_score.crm_health_scorecard_default")
        self.assertEqual(backtest.state, "done")
        self.assertEqual(len(backtest.line_ids), 12 * 3)
        self.assertGreaterEqual(backtest.churned_customer_count, 60)
        self.assertTrue(backtest.enough_data)
        self.assertGreater(backtest.auc, 0.7)
        self.assertGreater(backtest.lift, 1)
        self.assertGreater(backtest.high_rate, backtest.low_rate)
        proposed = backtest.proposed_scorecard_id
        self.assertTrue(proposed)
        self.assertFalse(proposed.active)
        self.assertEqual(proposed.weight_total, 100)
        self.assertGreaterEqual(backtest.proposed_auc, backtest.auc)
        self.assertTrue(standard.active)
        self.assertEqual([standard[f"weight_{d}"] for d in WEIGHTS], [25, 20, 20, 15, 20])
        # the Python scoring of the proposal reproduces the SQL scoring of the backtest
        compiled = standard._compile()
        for cell_points, score, *_counts in backtest.sudo().cell_data:
            named = dict(zip(WEIGHTS, cell_points, strict=True))
            self.assertEqual(stats.score(named, compiled["weights"], compiled["min_weight"]), score)
