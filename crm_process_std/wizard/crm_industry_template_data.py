# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Industry presets applied by crm.industry.template.wizard (declarative).

Each preset lists stages (matched by name when a stage of that name exists),
stage requirements, cadence rules, SLA nodes and health scorecard weights. Stage
references use the stage keys of the same preset; field lists use field names.
Texts are English source strings, translated on display like any record name.
"""

TEMPLATES = {
    "b2b_manufacturing": {
        "stages": [
            ("new", "New", 1, "Qualify the enquiry: company, contact person, need and budget."),
            ("qualified", "Qualified", 2, "Visit or call the buyer; record the technical needs."),
            ("sample", "Sample / Trial", 3, "Ship samples; agree the trial criteria in writing."),
            ("quotation", "Quotation", 4, "Send the quotation with delivery lead time."),
            ("won", "Won", 70, "Hand the customer over to after-sales within a day."),
        ],
        "requirements": [
            (
                "qualified_contact",
                "Contact details",
                "qualified",
                "block",
                ["partner_id", "phone"],
                ["industry_id"],
            ),
            (
                "quotation_budget",
                "Expected revenue and closing date",
                "quotation",
                "warn",
                ["expected_revenue", "date_deadline"],
                [],
            ),
        ],
        "cadences": [
            (
                "open_deals",
                "Open B2B deals: every 7 days",
                ["qualified", "sample", "quotation"],
                7.0,
                3.0,
                None,
            ),
            ("key_accounts", "Key accounts: every 14 days", [], 14.0, 7.0, "vip"),
        ],
        "slas": [
            (
                "first_contact",
                "First contact of a new enquiry",
                "lead_created",
                "followup_logged",
                None,
                24.0,
            ),
            (
                "quotation_time",
                "Quotation sent within 3 days",
                "stage_entered",
                "stage_left",
                "quotation",
                72.0,
            ),
        ],
        "weights": {"recency": 20, "frequency": 15, "orders": 30, "complaints": 15, "needs": 20},
    },
    "retail_store": {
        "stages": [
            ("new", "New", 1, "Record the visitor and what they looked at."),
            ("visited", "Store Visit", 2, "Invite for a fitting / demonstration in the store."),
            ("won", "Won", 70, "Register the purchase and the loyalty card."),
        ],
        "requirements": [
            ("visit_contact", "Phone of the visitor", "visited", "warn", ["phone"], []),
        ],
        "cadences": [
            (
                "visitors",
                "Store visitors: call back within 2 days",
                ["new", "visited"],
                2.0,
                1.0,
                None,
            ),
            ("members", "Members: every 30 days", [], 30.0, 0.0, "regular"),
        ],
        "slas": [
            (
                "callback",
                "Call back a store visitor",
                "lead_created",
                "followup_logged",
                None,
                24.0,
            ),
        ],
        "weights": {"recency": 30, "frequency": 25, "orders": 25, "complaints": 10, "needs": 10},
    },
    "ecommerce": {
        "stages": [
            ("new", "New", 1, "Answer the online enquiry within an hour during working hours."),
            (
                "cart",
                "Cart / Consultation",
                2,
                "Help with product choice; send a coupon if useful.",
            ),
            ("order", "Order Placed", 3, "Confirm payment and delivery date."),
            ("won", "Won", 70, "Ask for a review after delivery; hand over to customer care."),
        ],
        "requirements": [
            ("cart_email", "E-mail of the shopper", "cart", "warn", ["email_from"], []),
            ("order_customer", "Customer on the order", "order", "block", ["partner_id"], []),
        ],
        "cadences": [
            ("abandoned", "Abandoned carts: remind after 1 day", ["cart"], 1.0, 1.0, None),
            ("repeat", "Repeat buyers: every 30 days", [], 30.0, 0.0, "vip"),
        ],
        "slas": [
            (
                "online_reply",
                "Reply to an online enquiry",
                "lead_created",
                "followup_logged",
                None,
                1.0,
            ),
            (
                "complaint_reply",
                "Answer an online complaint",
                "complaint_opened",
                "complaint_answered",
                None,
                4.0,
            ),
        ],
        "weights": {"recency": 25, "frequency": 20, "orders": 30, "complaints": 15, "needs": 10},
    },
    "car_dealership": {
        "stages": [
            ("new", "New", 1, "Call the prospect; note the model, budget and trade-in."),
            ("test_drive", "Test Drive", 2, "Book the test drive; check the driving licence."),
            ("offer", "Offer / Financing", 3, "Present price, trade-in value and financing."),
            ("contract", "Contract Signed", 4, "Sign the contract; order or reserve the car."),
            ("won", "Won", 70, "Deliver the car; hand over to the service department."),
        ],
        "requirements": [
            (
                "drive_contact",
                "Phone and e-mail",
                "test_drive",
                "block",
                ["phone", "email_from"],
                [],
            ),
            (
                "offer_budget",
                "Budget (expected revenue)",
                "offer",
                "block",
                ["expected_revenue"],
                [],
            ),
            (
                "contract_customer",
                "Customer on the contract",
                "contract",
                "block",
                ["partner_id"],
                [],
            ),
        ],
        "cadences": [
            (
                "prospects",
                "Car prospects: every 3 days",
                ["new", "test_drive", "offer"],
                3.0,
                2.0,
                None,
            ),
            ("service", "Car owners: service reminder every 90 days", [], 90.0, 0.0, None),
        ],
        "slas": [
            (
                "first_call",
                "First call of a car prospect",
                "lead_created",
                "followup_logged",
                None,
                2.0,
            ),
            (
                "offer_time",
                "Offer within 2 days after the test drive",
                "stage_entered",
                "stage_left",
                "offer",
                48.0,
            ),
        ],
        "weights": {"recency": 25, "frequency": 15, "orders": 20, "complaints": 20, "needs": 20},
    },
    "professional_services": {
        "stages": [
            ("new", "New", 1, "Understand the client's problem and the decision maker."),
            ("discovery", "Discovery", 2, "Hold the discovery meeting; write the scope."),
            ("proposal", "Proposal", 3, "Send the proposal with scope, fee and planning."),
            ("won", "Won", 70, "Kick-off meeting with the delivery team."),
        ],
        "requirements": [
            (
                "discovery_contact",
                "Decision maker contact",
                "discovery",
                "warn",
                ["partner_id", "email_from"],
                [],
            ),
            ("proposal_fee", "Fee estimate", "proposal", "block", ["expected_revenue"], []),
        ],
        "cadences": [
            (
                "proposals",
                "Open proposals: every 5 days",
                ["discovery", "proposal"],
                5.0,
                3.0,
                None,
            ),
            ("clients", "Clients: every 30 days", [], 30.0, 7.0, "vip"),
        ],
        "slas": [
            (
                "proposal_time",
                "Proposal within 5 days",
                "stage_entered",
                "stage_left",
                "proposal",
                120.0,
            ),
        ],
        "weights": {"recency": 25, "frequency": 25, "orders": 15, "complaints": 15, "needs": 20},
    },
}
