# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models

# Demo customers: every name of the first list with every name of the second.
DEMO_NAMES = (
    ["Jade", "Pine", "Harbor", "Summit", "Lotus", "Crane", "Golden", "Silver"]
    + ["River", "Maple", "Cedar", "Orchid", "Phoenix", "Coral", "Amber", "Willow"],
    ["Trading", "Foods", "Logistics", "Textiles", "Electronics", "Packaging", "Machinery"]
    + ["Retail", "Pharma", "Ceramics", "Furniture", "Printing", "Tools", "Optics", "Plastics"],
)
# Days of history before the install day: the backtest's 12 month-ends whose 90-day
# horizon has passed go back about 15 months, and the score reads 3 months of
# interactions before them.
HISTORY_DAYS = 580
# Per profile: days between interactions, days between orders.
GAPS = {
    "steady": ((3, 10), (60, 120)),
    "occasional": ((12, 45), (120, 200)),
    "fading": ((3, 12), (60, 120)),
    "sudden": ((3, 10), (60, 120)),
}
# Per profile: weights of the needs match high, medium, low.
NEEDS = {
    "steady": (5, 4, 1),
    "occasional": (3, 5, 2),
    "fading": (2, 4, 4),
    "sudden": (5, 4, 1),
}
# Demo records created in bulk: no creation message, tracking or assignment mail.
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}
FOLLOWUP_TEXTS = {
    "previous_conclusion": "Customer reviewed the last delivery.",
    "value_delivered": "Went through usage and the next needs with the buyer.",
    "next_step": "Check in again in a few weeks.",
}


class CrmHealthBacktest(models.Model):
    """Demo history for the backtest: customers with dated follow-ups, staff notes,
    won orders and complaints, some of whom thin out and churn."""

    _inherit = "crm.health.backtest"

    @api.model
    def _create_demo_history(self):
        """240 customers with 19 months of history, dated relative to today (demo).

        - 100 steady customers: an interaction every 3-10 days, an order every 2-4
          months;
        - 40 occasional ones: an interaction every 12-45 days (some look churned for a
          while, then come back), few orders;
        - 80 fading ones: busy at first, then over their last four months follow-ups
          thin out, orders stop, some complain; after their last interaction (3 to 15
          months ago) nothing: they churned;
        - 20 that stop at once: steady until their last interaction (3 to 15 months
          ago), then nothing (churn no score sees coming).

        Deterministic (seeded)."""
        rng = random.Random(16)
        today = fields.Date.today()
        start = today - timedelta(days=HISTORY_DAYS)
        staff = [self.env.ref("base.user_admin"), self.env.ref("base.user_demo")]
        profiles = ["steady"] * 100 + ["occasional"] * 40 + ["fading"] * 80 + ["sudden"] * 20
        rng.shuffle(profiles)
        names = [
            f"{first} {second} Co., Ltd." for first in DEMO_NAMES[0] for second in DEMO_NAMES[1]
        ]
        customers = (
            self.env["res.partner"]
            .with_context(**QUIET)
            .create(
                [
                    {
                        "name": name,
                        "is_company": True,
                        "user_id": staff[index % 2].id,
                        "needs_match": rng.choices(["high", "medium", "low"], NEEDS[profile])[0],
                    }
                    for index, (name, profile) in enumerate(zip(names, profiles, strict=True))
                ]
            )
        )
        touches, orders, complaints = [], [], []
        for customer, profile in zip(customers, profiles, strict=True):
            day = start + timedelta(days=rng.randint(0, 30))
            last, fading_from = today - timedelta(days=1), None
            if profile in ("fading", "sudden"):
                last = today - timedelta(days=rng.randint(95, 470))
            if profile == "fading":
                fading_from = last - timedelta(days=120)
            gaps, order_gaps = GAPS[profile]
            next_order = day + timedelta(days=rng.randint(5, order_gaps[1]))
            while True:
                touches.append((customer, day))
                if fading_from and day >= fading_from:
                    step = rng.randint(18, 40)
                    if rng.random() < 0.2:
                        complaints.append((customer, day, rng.random() < 0.6))
                else:
                    step = rng.randint(*gaps)
                    if day >= next_order:
                        orders.append((customer, day))
                        next_order = day + timedelta(days=rng.randint(*order_gaps))
                    if rng.random() < 0.005:
                        complaints.append((customer, day, False))
                if day >= last:
                    break
                day = min(day + timedelta(days=step), last)
        self._create_demo_touches(touches, staff, rng)
        self._create_demo_orders(orders)
        self._create_demo_complaints(complaints)

    @api.model
    def _create_demo_touches(self, touches, staff, rng):
        """One interaction in four is a logged follow-up, the others staff notes."""
        note = self.env.ref("mail.mt_note")
        followups, messages = [], []
        for index, (customer, day) in enumerate(touches):
            user = staff[index % 2]
            if rng.random() < 1 / 4:
                followups.append(
                    {
                        "partner_id": customer.id,
                        "date": datetime.combine(day, time(10)),
                        "channel": rng.choice(["phone", "email", "visit"]),
                        "user_id": user.id,
                        **FOLLOWUP_TEXTS,
                    }
                )
            else:
                messages.append(
                    {
                        "model": "res.partner",
                        "res_id": customer.id,
                        "message_type": "comment",
                        "subtype_id": note.id,
                        "author_id": user.partner_id.id,
                        "date": datetime.combine(day, time(15)),
                        "body": "<p>Called the customer: orders and usage reviewed.</p>",
                        # given: computing them per message costs a query each
                        "email_from": user.partner_id.email_formatted,
                        "reply_to": user.partner_id.email_formatted,
                    }
                )
        self.env["crm.followup"].with_context(**QUIET).create(followups)
        self.env["mail.message"].create(messages)

    @api.model
    def _create_demo_orders(self, orders):
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.env["crm.lead"].with_context(**QUIET).create(
            [
                {
                    "name": f"Order of {customer.name}",
                    "type": "opportunity",
                    "partner_id": customer.id,
                    "user_id": customer.user_id.id,
                    "stage_id": won.id,
                    "probability": 100,
                    "expected_revenue": 8000 + 1000 * (customer.id % 7),
                    "date_closed": datetime.combine(day, time(11)),
                }
                for customer, day in orders
            ]
        )

    @api.model
    def _create_demo_complaints(self, complaints):
        self.env["crm.complaint"].create(
            [
                {
                    "name": "Late delivery",
                    "partner_id": customer.id,
                    "date_open": datetime.combine(day, time(9)),
                    "state": "open" if unresolved else "resolved",
                    "resolved_date": False
                    if unresolved
                    else datetime.combine(day + timedelta(days=3), time(9)),
                    "resolution": False if unresolved else "<p>Replacement shipped.</p>",
                }
                for customer, day, unresolved in complaints
            ]
        )
