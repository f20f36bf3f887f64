# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form

from odoo.addons.crm_process_std_base.tests.followup_common import FollowupCase

CRON = "crm_process_std_followup.ir_cron_crm_customer_tiers"


class TestCustomerTier(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        Partner = cls.env["res.partner"]
        cls.big = Partner.create({"name": "Big Buyer", "is_company": True})
        cls.small = Partner.create({"name": "Small Buyer", "is_company": True})
        cls.prospect = Partner.create({"name": "Only Talking", "is_company": True})
        cls.former = Partner.create({"name": "Bought Long Ago", "is_company": True})
        cls.partners = cls.big | cls.small | cls.prospect | cls.former

    def _won(self, partner, amount, months_ago=1):
        lead = self.env["crm.lead"].create(
            {"name": f"Deal of {partner.name}", "type": "opportunity",
             "partner_id": partner.id, "expected_revenue": amount}
        )  # fmt: skip
        lead.stage_id = self.won_stage
        lead.date_closed = fields.Datetime.now() - relativedelta(months=months_ago)
        return lead

    def _deals(self):
        self._won(self.big, 70000)
        self._won(self.big, 50000, months_ago=11)
        for months in (1, 2, 3):
            self._won(self.small, 2000, months_ago=months)
        self.env["crm.lead"].create({"name": "Still talking", "partner_id": self.prospect.id})
        self._won(self.former, 500000, months_ago=14)

    def _recompute(self, **kwargs):
        return self.run_cron("res.partner", "_cron_crm_std_recompute_tiers", **kwargs)

    def test_order_stats_count_won_revenue_of_the_period_per_customer(self):
        self._deals()
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.small.id})
        self._won(contact, 1000)
        stats = self.partners._crm_std_order_stats(fields.Datetime.now() - relativedelta(months=12))
        self.assertEqual(stats[self.big.id], {"count": 2, "amount": 120000})
        self.assertEqual(stats[self.small.id], {"count": 4, "amount": 7000})
        self.assertNotIn(self.prospect.id, stats)
        self.assertNotIn(self.former.id, stats, "deals older than the period do not count")

    def test_tiers_and_frequency_from_last_12_months(self):
        self._deals()
        self._recompute()
        self.assertEqual(
            [(p.customer_tier, p.purchase_frequency) for p in self.partners],
            [("vip", "medium"), ("regular", "medium"), ("potential", "low"), ("potential", "low")],
        )
        self.assertEqual(self.big.tier_revenue_12m, 120000)
        self.assertEqual(self.small.tier_order_count_12m, 3)

    def test_thresholds_from_settings(self):
        self._deals()
        settings = Form(self.env["res.config.settings"])
        settings.crm_std_tier_vip_revenue = 5000
        settings.crm_std_tier_regular_revenue = 1000
        settings.crm_std_frequency_high = 3
        settings.crm_std_frequency_medium = 2
        settings.save().execute()
        self._recompute()
        self.assertEqual((self.small.customer_tier, self.small.purchase_frequency), ("vip", "high"))

    def test_customer_of_a_company_classified_with_its_thresholds(self):
        self._deals()
        sister = self.env["res.company"].create(
            {"name": "Tier Sister Co", "crm_std_tier_vip_revenue": 5000}
        )
        self.small.company_id = sister
        self._recompute()
        # 6000 won in 12 months: VIP from 5000 in its company (regular elsewhere)
        self.assertEqual(self.small.customer_tier, "vip")
        self.assertEqual(self.big.customer_tier, "vip")
        self.assertEqual(self.prospect.customer_tier, "potential")

    def test_thresholds_are_per_company(self):
        sister = self.env["res.company"].create({"name": "Tier Sister Co"})
        settings = Form(self.env["res.config.settings"].with_company(sister))
        settings.crm_std_tier_vip_revenue = 5000
        settings.save().execute()
        self.assertEqual(sister.crm_std_tier_vip_revenue, 5000)
        self.assertEqual(self.env.company.crm_std_tier_vip_revenue, 100000)

    def test_manual_tier_kept_by_recompute(self):
        self._deals()
        self.big.write({"customer_tier_manual": "regular", "customer_tier_locked": True})
        self._recompute()
        self.assertEqual(self.big.customer_tier_auto, "vip")
        self.assertEqual(self.big.customer_tier, "regular", "the manual tier is kept")
        self.big.customer_tier_locked = False
        self.assertEqual(self.big.customer_tier, "vip")

    def test_second_recompute_changes_nothing_and_cut_run_resumes(self):
        self._deals()
        done, remaining = self.run_cron_cut_short(
            "res.partner", "_crm_std_recompute_tiers", CRON, batch_size=1
        )
        self.assertEqual(done, 1)
        self.assertGreater(remaining, 0)
        self._recompute()
        self.assertEqual(self.big.customer_tier, "vip")
        with self.committing_env() as env:
            self.assertEqual(env["res.partner"].browse()._crm_std_recompute_tiers(), 0)

    def test_recompute_button_on_selected_customers(self):
        self._deals()
        self.small.with_user(self.leader).action_crm_std_recompute_tier()
        self.assertEqual(self.small.customer_tier, "regular")
        self.assertFalse(self.big.customer_tier, "only the selected customers")

    def test_thresholds_out_of_order_refused(self):
        settings = Form(self.env["res.config.settings"])
        settings.crm_std_tier_vip_revenue = 1000
        settings.crm_std_tier_regular_revenue = 5000
        with self.assertRefused(ValidationError, "VIP revenue (1000.0) must be above"):
            settings.save()
        settings = Form(self.env["res.config.settings"])
        settings.crm_std_frequency_high = 2
        settings.crm_std_frequency_medium = 2
        with self.assertRefused(ValidationError, "high purchase frequency (2 deals)"):
            settings.save()

    # -- who sees which figures, currencies, who recomputes -------------
    def test_salesperson_sees_the_figures_of_the_deals_they_may_read(self):
        mine = self._won(self.big, 70000)
        mine.user_id = self.salesman
        theirs = self._won(self.big, 50000)
        theirs.user_id = self.other_salesman
        big = self.big.with_user(self.salesman)
        self.assertEqual((big.tier_revenue_12m, big.tier_order_count_12m), (70000, 1))
        self.assertEqual(self.big.with_user(self.leader).tier_revenue_12m, 120000)

    def test_deals_of_a_company_in_another_currency_are_converted(self):
        main = self.env.company
        eur = self.env.ref("base.EUR")
        other = eur if main.currency_id != eur else self.env.ref("base.USD")
        other.active = True
        Rate = self.env["res.currency.rate"]
        Rate.search(
            [("currency_id", "=", other.id), ("company_id", "in", [main.id, False])]
        ).unlink()
        Rate.create(
            {
                "currency_id": other.id,
                "rate": 2.0,
                "company_id": main.id,
                "name": fields.Date.today(),
            }
        )
        sister = self.env["res.company"].create({"name": "Tier Sister", "currency_id": other.id})
        self._won(self.big, 70000)
        lead = self._won(self.big, 1000)
        lead.write({"company_id": sister.id, "team_id": False, "user_id": False})
        stats = self.big._crm_std_order_stats(fields.Datetime.now() - relativedelta(months=12))
        # 1000 in the sister company's currency, worth 500 in the main company's
        self.assertEqual(stats[self.big.id], {"count": 2, "amount": 70500})

    def test_recompute_on_an_empty_selection_does_nothing(self):
        self._deals()
        self.env["res.partner"].with_user(self.leader).action_crm_std_recompute_tier()
        self.assertFalse(self.partners.filtered("customer_tier_auto"))

    def test_salesperson_cannot_recompute_tiers(self):
        self._deals()
        with self.assertRefused(AccessError, "sales managers"):
            self.big.with_user(self.salesman).action_crm_std_recompute_tier()
        self.assertFalse(self.big.customer_tier_auto)
