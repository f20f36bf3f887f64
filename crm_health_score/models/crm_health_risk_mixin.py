# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL

from .crm_health_scorecard import HEALTH_RISK_LEVELS

# Severity order of the risk levels, the order of their selection.
RISK_ORDER = [level for level, _label in HEALTH_RISK_LEVELS]


class CrmHealthRiskMixin(models.AbstractModel):
    """Risk levels in severity order (high, medium, low, insufficient data) wherever
    records are grouped or sorted by them: kanban columns, pivot rows, graph bars,
    list groups and sorted columns. The ORM orders a selection by its raw value, which
    would give high, insufficient data, low, medium."""

    _name = "crm.health.risk.mixin"
    _description = "Health Risk Level Order"

    # Selection fields holding a risk level (the models list theirs).
    _risk_level_fields = ("risk_level",)

    def _risk_rank_sql(self, column):
        return SQL("array_position(%s, %s::text)", RISK_ORDER, column)

    def _read_group_orderby(self, order, groupby_terms, query):
        # Order the risk groups by rank: the groupby terms as given to super() only
        # build the ORDER BY; the terms super() extends (many2one groups ordered by
        # their model's order) are kept for the GROUP BY.
        ranked = {
            spec: self._risk_rank_sql(term) if spec in self._risk_level_fields else term
            for spec, term in groupby_terms.items()
        }
        orderby = super()._read_group_orderby(order, ranked, query)
        for spec in groupby_terms:
            if spec not in self._risk_level_fields:
                groupby_terms[spec] = ranked[spec]
        return orderby

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        term = super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        if field_name not in self._risk_level_fields:
            return term
        column = self._field_to_sql(alias, field_name, query)
        return SQL("%s %s %s", self._risk_rank_sql(column), direction, nulls)

    def _expand_risk_levels(self, values, domain):
        """Every risk level is a kanban column, in severity order, even when empty."""
        return list(RISK_ORDER)
