# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Selections of the standard customer information (seed template 1), shared by
customers and leads."""

CUSTOMER_TYPES = [("potential", "Potential"), ("customer", "Customer"), ("lost", "Lost")]
NEED_PRIORITIES = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
COMPLETENESS_BANDS = [
    ("0", "Below 25 %"),
    ("25", "25-49 %"),
    ("50", "50-79 %"),
    ("80", "80-99 %"),
    ("100", "Complete"),
]
