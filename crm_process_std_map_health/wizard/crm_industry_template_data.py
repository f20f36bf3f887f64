# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Health scorecard weights of each industry preset of crm_process_std_map (points
per dimension, 100 in all): what matters most to keep a customer of that industry."""

TEMPLATE_WEIGHTS = {
    "b2b_manufacturing": {
        "recency": 20,
        "frequency": 15,
        "orders": 30,
        "complaints": 15,
        "needs": 20,
    },
    "retail_store": {"recency": 30, "frequency": 25, "orders": 25, "complaints": 10, "needs": 10},
    "ecommerce": {"recency": 25, "frequency": 20, "orders": 30, "complaints": 15, "needs": 10},
    "car_dealership": {"recency": 25, "frequency": 15, "orders": 20, "complaints": 20, "needs": 20},
    "professional_services": {
        "recency": 25,
        "frequency": 25,
        "orders": 15,
        "complaints": 15,
        "needs": 20,
    },
}
