# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Industry presets applied by crm.industry.template.wizard (declarative).

Each preset lists stages (matched by name when a stage of that name exists),
stage requirements, cadence rules and SLA nodes (the health bridge adds scorecard
weights). Stage references use the stage keys of the same preset; field lists use
field names.
Texts are translatable (``_lt``): the wizard shows them in the user's language and
gives the records it creates the English source and a translation in every
installed language. Rows are lists, not tuples: Odoo's term extractor takes a
parenthesis that follows an ``_lt(...)`` call for another call of it.
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

TEMPLATES = {
    "b2b_manufacturing": {
        "stages": [
            [
                "new",
                _lt("New"),
                1,
                _lt("Qualify the enquiry: company, contact person, need and budget."),
            ],
            [
                "qualified",
                _lt("Qualified"),
                2,
                _lt("Visit or call the buyer; record the technical needs."),
            ],
            [
                "sample",
                _lt("Sample / Trial"),
                3,
                _lt("Ship samples; agree the trial criteria in writing."),
            ],
            ["quotation", _lt("Quotation"), 4, _lt("Send the quotation with delivery lead time.")],
            ["won", _lt("Won"), 70, _lt("Hand the customer over to after-sales within a day.")],
        ],
        "requirements": [
            [
                "qualified_contact",
                _lt("Contact details"),
                "qualified",
                "block",
                ["partner_id", "phone"],
                ["industry_id"],
            ],
            [
                "quotation_budget",
                _lt("Expected revenue and closing date"),
                "quotation",
                "warn",
                ["expected_revenue", "date_deadline"],
                [],
            ],
        ],
        "cadences": [
            [
                "open_deals",
                _lt("Open B2B deals: every 7 days"),
                ["qualified", "sample", "quotation"],
                7.0,
                3.0,
                None,
            ],
            ["key_accounts", _lt("Key accounts: every 14 days"), [], 14.0, 7.0, "vip"],
        ],
        "slas": [
            [
                "first_contact",
                _lt("First contact of a new enquiry"),
                "lead_created",
                "followup_logged",
                None,
                24.0,
            ],
            [
                "quotation_time",
                _lt("Quotation sent within 3 days"),
                "stage_entered",
                "stage_left",
                "quotation",
                72.0,
            ],
        ],
    },
    "retail_store": {
        "stages": [
            ["new", _lt("New"), 1, _lt("Record the visitor and what they looked at.")],
            [
                "visited",
                _lt("Store Visit"),
                2,
                _lt("Invite for a fitting / demonstration in the store."),
            ],
            ["won", _lt("Won"), 70, _lt("Register the purchase and the loyalty card.")],
        ],
        "requirements": [
            ["visit_contact", _lt("Phone of the visitor"), "visited", "warn", ["phone"], []],
        ],
        "cadences": [
            [
                "visitors",
                _lt("Store visitors: call back within 2 days"),
                ["new", "visited"],
                2.0,
                1.0,
                None,
            ],
            ["members", _lt("Members: every 30 days"), [], 30.0, 0.0, "regular"],
        ],
        "slas": [
            [
                "callback",
                _lt("Call back a store visitor"),
                "lead_created",
                "followup_logged",
                None,
                24.0,
            ],
        ],
    },
    "ecommerce": {
        "stages": [
            [
                "new",
                _lt("New"),
                1,
                _lt("Answer the online enquiry within an hour during working hours."),
            ],
            [
                "cart",
                _lt("Cart / Consultation"),
                2,
                _lt("Help with product choice; send a coupon if useful."),
            ],
            ["order", _lt("Order Placed"), 3, _lt("Confirm payment and delivery date.")],
            [
                "won",
                _lt("Won"),
                70,
                _lt("Ask for a review after delivery; hand over to customer care."),
            ],
        ],
        "requirements": [
            ["cart_email", _lt("E-mail of the shopper"), "cart", "warn", ["email_from"], []],
            ["order_customer", _lt("Customer on the order"), "order", "block", ["partner_id"], []],
        ],
        "cadences": [
            ["abandoned", _lt("Abandoned carts: remind after 1 day"), ["cart"], 1.0, 1.0, None],
            ["repeat", _lt("Repeat buyers: every 30 days"), [], 30.0, 0.0, "vip"],
        ],
        "slas": [
            [
                "online_reply",
                _lt("Reply to an online enquiry"),
                "lead_created",
                "followup_logged",
                None,
                1.0,
            ],
            [
                "complaint_reply",
                _lt("Answer an online complaint"),
                "complaint_opened",
                "complaint_answered",
                None,
                4.0,
            ],
        ],
    },
    "car_dealership": {
        "stages": [
            ["new", _lt("New"), 1, _lt("Call the prospect; note the model, budget and trade-in.")],
            [
                "test_drive",
                _lt("Test Drive"),
                2,
                _lt("Book the test drive; check the driving licence."),
            ],
            [
                "offer",
                _lt("Offer / Financing"),
                3,
                _lt("Present price, trade-in value and financing."),
            ],
            [
                "contract",
                _lt("Contract Signed"),
                4,
                _lt("Sign the contract; order or reserve the car."),
            ],
            ["won", _lt("Won"), 70, _lt("Deliver the car; hand over to the service department.")],
        ],
        "requirements": [
            [
                "drive_contact",
                _lt("Phone and e-mail"),
                "test_drive",
                "block",
                ["phone", "email_from"],
                [],
            ],
            [
                "offer_budget",
                _lt("Budget (expected revenue)"),
                "offer",
                "block",
                ["expected_revenue"],
                [],
            ],
            [
                "contract_customer",
                _lt("Customer on the contract"),
                "contract",
                "block",
                ["partner_id"],
                [],
            ],
        ],
        "cadences": [
            [
                "prospects",
                _lt("Car prospects: every 3 days"),
                ["new", "test_drive", "offer"],
                3.0,
                2.0,
                None,
            ],
            ["service", _lt("Car owners: service reminder every 90 days"), [], 90.0, 0.0, None],
        ],
        "slas": [
            [
                "first_call",
                _lt("First call of a car prospect"),
                "lead_created",
                "followup_logged",
                None,
                2.0,
            ],
            [
                "offer_time",
                _lt("Offer within 2 days after the test drive"),
                "stage_entered",
                "stage_left",
                "offer",
                48.0,
            ],
        ],
    },
    "professional_services": {
        "stages": [
            ["new", _lt("New"), 1, _lt("Understand the client's problem and the decision maker.")],
            ["discovery", _lt("Discovery"), 2, _lt("Hold the discovery meeting; write the scope.")],
            [
                "proposal",
                _lt("Proposal"),
                3,
                _lt("Send the proposal with scope, fee and planning."),
            ],
            ["won", _lt("Won"), 70, _lt("Kick-off meeting with the delivery team.")],
        ],
        "requirements": [
            [
                "discovery_contact",
                _lt("Decision maker contact"),
                "discovery",
                "warn",
                ["partner_id", "email_from"],
                [],
            ],
            ["proposal_fee", _lt("Fee estimate"), "proposal", "block", ["expected_revenue"], []],
        ],
        "cadences": [
            [
                "proposals",
                _lt("Open proposals: every 5 days"),
                ["discovery", "proposal"],
                5.0,
                3.0,
                None,
            ],
            ["clients", _lt("Clients: every 30 days"), [], 30.0, 7.0, "vip"],
        ],
        "slas": [
            [
                "proposal_time",
                _lt("Proposal within 5 days"),
                "stage_entered",
                "stage_left",
                "proposal",
                120.0,
            ],
        ],
    },
}
