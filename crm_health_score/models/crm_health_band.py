# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The five dimensions of seed template 4, in the order the form explains them.
DIMENSIONS = [
    ("recency", "Days Since Last Interaction"),
    ("frequency", "Interactions per Month"),
    ("orders", "Orders (last 3 months)"),
    ("complaints", "Complaints (last 6 months)"),
    ("needs", "Needs Match"),
]
# Needs match is set by sales as a level; bands read it as low 1, medium 2, high 3.
NEEDS_MATCH_LEVELS = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
# Set while a scorecard saves its bands: it checks them once, after all of them changed.
# The value is a Python object, which a context sent over RPC (JSON) cannot carry: a
# client cannot skip the check by naming the key.
BANDS_CHECKED_BY_SCORECARD = "crm_health_bands_checked_by_scorecard"
SCORECARD_CHECK_TOKEN = object()


class CrmHealthBand(models.Model):
    """One scoring band: raw values from ``value_from`` up to (excluding)
    ``value_to`` of a dimension earn ``points``."""

    _name = "crm.health.band"
    _description = "Health Scoring Band"
    _order = "scorecard_id, dimension, value_from, id"

    scorecard_id = fields.Many2one(
        "crm.health.scorecard", required=True, index=True, ondelete="cascade"
    )
    dimension = fields.Selection(DIMENSIONS, required=True)
    value_from = fields.Float(
        string="From",
        required=True,
        default=0.0,
        help="Lowest raw value of the band (included). Needs match reads as "
        "low = 1, medium = 2, high = 3.",
    )
    value_to = fields.Float(
        string="To",
        help="Raw value where the next band starts (excluded). Leave 0 on the "
        "last band of a dimension for no upper limit.",
    )
    points = fields.Integer(required=True, help="Points (0-100) earned in this band.")
    range_label = fields.Char(string="Range", compute="_compute_range_label")

    _points_range = models.Constraint(
        "CHECK(points >= 0 AND points <= 100)", "Band points must be between 0 and 100."
    )

    @api.depends("value_from", "value_to")
    def _compute_range_label(self):
        for band in self:
            if band.value_to:
                band.range_label = f"{band.value_from:g} – <{band.value_to:g}"
            else:
                band.range_label = f">= {band.value_from:g}"

    @api.constrains("value_from", "value_to")
    def _check_value_range(self):
        for band in self:
            if band.value_from < 0:
                raise ValidationError(
                    self.env._(
                        "Scorecard %(scorecard)s: a band of %(dimension)s starts below 0.",
                        scorecard=band.scorecard_id.display_name,
                        dimension=band._dimension_label(),
                    )
                )
            if band.value_to and band.value_to <= band.value_from:
                raise ValidationError(
                    self.env._(
                        "Scorecard %(scorecard)s: the band of %(dimension)s from %(start)s "
                        "must end above its start, not at %(end)s.",
                        scorecard=band.scorecard_id.display_name,
                        dimension=band._dimension_label(),
                        start=f"{band.value_from:g}",
                        end=f"{band.value_to:g}",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        bands._check_scorecards(bands.scorecard_id)
        return bands

    def write(self, vals):
        scorecards = self.scorecard_id
        result = super().write(vals)
        self._check_scorecards(scorecards | self.scorecard_id)
        return result

    def unlink(self):
        scorecards = self.scorecard_id
        result = super().unlink()
        self._check_scorecards(scorecards.exists())
        return result

    def _check_scorecards(self, scorecards):
        """Bands saved on their own (import, RPC) leave their scorecards valid: no
        overlap, no gap, bands from 0 and open at the end, every weight banded."""
        if self.env.context.get(BANDS_CHECKED_BY_SCORECARD) is not SCORECARD_CHECK_TOKEN:
            scorecards._check_configuration()

    def _dimension_label(self):
        self.ensure_one()
        return dict(self._fields["dimension"]._description_selection(self.env))[self.dimension]
