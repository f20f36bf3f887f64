# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common_kpi import KpiCase


@tagged("post_install", "-at_install")
@freeze_time("2024-04-15 12:00:00")
class TestKpiTargetProposal(KpiCase):
    """Targets proposed from a diagnosis never weaken the seed's targets,
    move only on a large enough sample, stay achievable, and are not ticked when they
    would lower a target in force. A company of its own: the figures are only ours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Proposed Targets Co."})
        (cls.salesperson | cls.salesperson2).write({"company_ids": [(4, cls.company.id)]})
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Proposal Sales",
                "company_id": cls.company.id,
                "member_ids": [(6, 0, (cls.salesperson | cls.salesperson2).ids)],
            }
        )
        cls.admin = new_test_user(
            cls.env,
            login="proposal_process_admin",
            groups="crm_process_std_base.group_process_admin",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.Target = cls.env["crm.kpi.target"]

    # -- hand-made samples (March 2024) ---------------------------------------------

    def _deals(self, won, lost):
        created = self.dt("2024-02-10 09:00")
        for i in range(won):
            self._won(self._lead(f"Won {i}", created), self.dt("2024-03-12 12:00"))
        for i in range(lost):
            self._lost(self._lead(f"Lost {i}", created), self.dt("2024-03-14 12:00"))

    def _small_sample(self):
        """A small sample: 6 deals all won (100 %), 3 leads none converted (0 %),
        the 2 high-value customers both contacted (0 % neglected)."""
        for i in range(6):
            customer = self._customer(f"Buyer {i}", company_id=self.company.id)
            lead = self._lead(
                f"Deal {i}",
                self.dt("2024-02-10 09:00"),
                partner_id=customer.id,
                expected_revenue=1000.0 * (i + 1),
            )
            self._won(lead, self.dt(f"2024-03-{10 + i} 12:00"))
            self._message(customer, self.dt("2024-03-25 10:00"))
        for i in range(3):
            self._lead(f"Enquiry {i}", self.dt("2024-03-04 09:00"), type="lead")

    def _proposal(self):
        diagnosis = (
            self.env["crm.process.diagnosis"]
            .with_user(self.admin)
            .create({"name": "Before", "months": 1})
        )
        diagnosis.action_run()
        action = diagnosis.action_propose_targets()
        proposal = self.env["crm.kpi.target.proposal"].browse(action["res_id"])
        return diagnosis, {line.kpi_code: line for line in proposal.line_ids}

    # -- tests ---------------------------------------------------------------------------

    def test_small_sample_keeps_the_targets_in_force(self):
        self._small_sample()
        diagnosis, lines = self._proposal()
        figures = {line.kpi_code: line for line in diagnosis.line_ids}
        self.assertEqual(
            [figures[code].value for code in ("conversion", "lead_to_opportunity")], [100.0, 0.0]
        )
        self.assertEqual(figures["neglected_customers"].value, 0.0)
        # the first proposal made 100 %, 10 % and "<= 0 %" from these
        self.assertEqual(lines["conversion"].target_value, 35.0)
        self.assertEqual(lines["lead_to_opportunity"].target_value, 50.0)
        self.assertEqual(lines["neglected_customers"].target_value, 10.0)
        self.assertEqual(
            lines["conversion"].note,
            "Measured on 6 of the 30 records needed to move a target: the target in force is kept.",
        )
        self.assertEqual(lines["lead_to_opportunity"].sample_size, 3)
        self.assertIn("Measured on 2 of the 10 records needed", lines["neglected_customers"].note)
        # no data at all: said so, the target is kept
        self.assertEqual(lines["timeliness"].target_value, 95.0)
        self.assertEqual(
            lines["timeliness"].note,
            "No records measured: the target in force is kept.",
        )

    def test_proposals_never_weaker_than_the_seed_nor_out_of_reach(self):
        self._small_sample()
        _diagnosis, lines = self._proposal()
        definitions = self.kpi._kpi_definitions()
        for code, line in lines.items():
            seed = definitions[code]["target"]
            if definitions[code]["comparison"] == ">=":
                self.assertGreaterEqual(line.target_value, seed, code)
                self.assertLess(line.target_value, 100.0, code)
            else:
                self.assertLessEqual(line.target_value, seed, code)
                self.assertGreater(line.target_value, 0.0, code)
            self.assertTrue(line.note, f"{code}: every line says why")
            self.assertTrue(line.accept, f"{code}: the seed's targets are not weakened")

    def test_large_sample_moves_conversion_fifteen_points(self):
        self._deals(won=10, lost=30)  # 25 % on 40 deals
        _diagnosis, lines = self._proposal()
        self.assertEqual(lines["conversion"].current_value, 25.0)
        self.assertEqual(lines["conversion"].sample_size, 40)
        self.assertEqual(lines["conversion"].target_value, 40.0)
        self.assertEqual(lines["conversion"].note, "15 points above the 25 % measured.")
        self.assertTrue(lines["conversion"].accept)

    def test_large_sample_below_the_seed_proposes_the_seed(self):
        self._deals(won=4, lost=36)  # 10 % + 15 points is still below the seed's 35 %
        _diagnosis, lines = self._proposal()
        self.assertEqual(lines["conversion"].target_value, 35.0)
        self.assertEqual(
            lines["conversion"].note, "The standard level: the 10 % measured falls short of it."
        )

    def test_high_measure_stays_achievable(self):
        self._deals(won=40, lost=0)  # 100 % on 40 deals: +15 would be 115 %
        _diagnosis, lines = self._proposal()
        self.assertEqual(lines["conversion"].target_value, 98.0)
        self.assertIn("would not be achievable", lines["conversion"].note)
        definitions = self.kpi._kpi_definitions()
        propose = self.env["crm.kpi.target.proposal"]._propose
        # churn measured at 0 % on 40 customer-months: at most 1 %, not "<= 0 %"
        self.assertEqual(propose(definitions["churn"], 0.0, 40, 5.0)[0], 1.0)
        # first response of 10 minutes on 40 leads: within 1 hour, not "<= 0 h"
        self.assertEqual(propose(definitions["first_response"], 0.17, 40, 2.0)[0], 1.0)
        # timeliness of 100 % on 40 activities: at least 98 %
        self.assertEqual(propose(definitions["timeliness"], 100.0, 40, 95.0)[0], 98.0)
        # timeliness of 97.4 % on 40 activities: the level reached, rounded down
        self.assertEqual(propose(definitions["timeliness"], 97.4, 40, 95.0)[0], 97.0)

    def test_proposal_weakening_a_target_in_force_is_not_ticked(self):
        own = self.Target.create(
            {
                "kpi_code": "conversion",
                "comparison": ">=",
                "target_value": 45.0,
                "company_id": self.company.id,
            }
        )
        weak = self.Target.create(
            {
                "kpi_code": "lead_to_opportunity",
                "comparison": ">=",
                "target_value": 30.0,
                "company_id": self.company.id,
            }
        )
        self._deals(won=10, lost=30)  # 25 %: proposes 40 %, below the 45 % in force
        self._lead("Enquiry", self.dt("2024-03-04 09:00"), type="lead")
        _diagnosis, lines = self._proposal()
        conversion = lines["conversion"]
        self.assertEqual((conversion.target_value, conversion.existing_value), (40.0, 45.0))
        self.assertTrue(conversion.weakens_target)
        self.assertFalse(conversion.accept, "lowering a target is not ticked")
        # the company's 30 % is below the seed's 50 %: the seed's level is proposed
        lead_line = lines["lead_to_opportunity"]
        self.assertEqual(lead_line.target_value, 50.0)
        self.assertTrue(lead_line.note.endswith("the standard level is proposed."))
        self.assertTrue(lead_line.accept)
        # accepting the ticked lines leaves the 45 % untouched
        conversion.proposal_id.with_user(self.admin).action_accept()
        self.assertEqual(own.target_value, 45.0)
        self.assertEqual(weak.target_value, 50.0)
