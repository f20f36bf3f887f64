# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, split_every

from .crm_followup import FOLLOWUP_CHANNELS

_logger = logging.getLogger(__name__)

TIER_CRON = "crm_process_std_followup.ir_cron_crm_customer_tiers"
TIER_TRIES = 3  # tries of a batch before it is written customer by customer
TIER_RETRY_MINUTES = 15

# Customer tiers and purchase frequency classes.
CUSTOMER_TIERS = [("vip", "VIP"), ("regular", "Regular"), ("potential", "Potential")]
PURCHASE_FREQUENCIES = [("high", "High"), ("medium", "Medium"), ("low", "Low")]


class ResPartner(models.Model):
    """Follow-ups and last contact of a customer, and its tier: VIP / regular /
    potential from the won revenue of the last 12 months, and the purchase frequency
    class, from one source of deals (won leads here; bridges add sale orders)."""

    _inherit = "res.partner"

    crm_followup_ids = fields.One2many("crm.followup", "commercial_partner_id", string="Follow-ups")
    crm_followup_count = fields.Integer(
        string="Follow-up Count", compute="_compute_crm_followup_count"
    )
    last_contact_date = fields.Datetime(
        compute="_compute_last_contact",
        store=True,
        index=True,
        help="Date of the latest follow-up logged with this customer (automatic).",
    )
    last_contact_channel = fields.Selection(
        FOLLOWUP_CHANNELS, compute="_compute_last_contact", store=True
    )
    last_contact_summary = fields.Text(compute="_compute_last_contact", store=True)

    customer_tier = fields.Selection(
        CUSTOMER_TIERS,
        compute="_compute_customer_tier",
        store=True,
        index=True,
        tracking=True,
        help="The computed tier, or the manual tier when it is kept.",
    )
    customer_tier_auto = fields.Selection(
        CUSTOMER_TIERS,
        string="Computed Tier",
        readonly=True,
        copy=False,
        help="From the won revenue of the last 12 months; updated by a scheduled action.",
    )
    customer_tier_manual = fields.Selection(CUSTOMER_TIERS, string="Manual Tier", copy=False)
    customer_tier_locked = fields.Boolean(
        string="Keep Manual Tier",
        copy=False,
        help="The recompute leaves the tier of this customer at the manual tier.",
    )
    purchase_frequency = fields.Selection(
        PURCHASE_FREQUENCIES,
        readonly=True,
        index=True,
        copy=False,
        help="From the number of won deals of the last 12 months.",
    )
    tier_revenue_12m = fields.Float(
        string="Revenue (12 months)",
        compute="_compute_tier_statistics",
        help="Won revenue of the last 12 months, of the deals you may see, in the "
        "currency of your current company.",
    )
    tier_order_count_12m = fields.Integer(
        string="Deals (12 months)", compute="_compute_tier_statistics"
    )

    @api.depends("crm_followup_ids")
    def _compute_crm_followup_count(self):
        counts = dict(
            self.env["crm.followup"]._read_group(
                [("commercial_partner_id", "in", self.ids)], ["commercial_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.crm_followup_count = counts.get(partner._origin, 0)

    @api.depends("crm_followup_ids.date", "crm_followup_ids.channel", "crm_followup_ids.summary")
    def _compute_last_contact(self):
        self.env["crm.followup"]._set_last_contact(self, "commercial_partner_id")

    @api.model
    def _process_history_models(self):
        return (*super()._process_history_models(), "crm.followup")

    def action_crm_view_followups(self):
        self.ensure_one()
        self.check_access("read")  # an action on this customer only (rules apply after)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_process_std_followup.action_crm_followup"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_crm_log_followup(self):
        self.ensure_one()
        self.check_access("read")  # an action on this customer only (rules apply after)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.followup",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_contact_id": self.id if self.parent_id else False,
            },
        }

    @api.depends("customer_tier_auto", "customer_tier_manual", "customer_tier_locked")
    def _compute_customer_tier(self):
        for partner in self:
            locked = partner.customer_tier_locked and partner.customer_tier_manual
            partner.customer_tier = locked or partner.customer_tier_auto

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_tier_statistics(self):
        # Figures of a reader: only the deals this user may read, in the current
        # company's currency (the stored tier is system data, see the recompute).
        stats = self._crm_std_order_stats(self._crm_std_tier_date_from(), readable=True)
        for partner in self:
            values = stats.get(partner.commercial_partner_id.id, {})
            partner.tier_revenue_12m = values.get("amount", 0.0)
            partner.tier_order_count_12m = values.get("count", 0)

    @api.model
    def _crm_std_tier_date_from(self):
        return fields.Datetime.now() - relativedelta(months=12)

    def _crm_std_order_stats(self, date_from, readable=False):
        """Won deals per commercial customer since ``date_from``.

        :param readable: count only the deals the current user may read (figures
            shown to a user); without it, every deal (system data of the tier
            recompute, whose result is a tier, not the figures)
        :return: ``{commercial_partner_id: {"count": n, "amount": x}}``; each deal's
            amount, in its company's currency, is converted into the currency of the
            current company (the tier thresholds' currency for the scheduled action);
            limited to the commercial partners of ``self`` unless ``self`` is empty.
            Bridges add sources (sale orders) through
            :meth:`_crm_std_order_stats_sources`.
        """
        orders = self._crm_std_orders_sql(date_from, readable=readable)
        if orders is None:
            return {}
        where = SQL("TRUE")
        if self:
            where = SQL("deals.partner_id = ANY(%s)", self.commercial_partner_id.ids)
        # Won deals: every one for the system recompute; for a reader only the deals
        # its record rules allow (each source filters with the model's ``_search``).
        rows = self.env.execute_query(
            SQL(
                "SELECT deals.partner_id, deals.company_id, COUNT(*),"
                " COALESCE(SUM(deals.amount), 0)"
                " FROM (%s) AS deals WHERE %s GROUP BY deals.partner_id, deals.company_id",
                orders,
                where,
            )
        )
        target = self.env.company
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().browse({row[1] for row in rows if row[1]})
        stats = {}
        for partner_id, company_id, count, amount in rows:
            # Currency of the deal's company (configuration, read without rules).
            currency = companies.browse(company_id).currency_id if company_id else None
            if currency and currency != target.currency_id:
                amount = currency._convert(amount, target.currency_id, target, today)
            values = stats.setdefault(partner_id, {"count": 0, "amount": 0.0})
            values["count"] += count
            values["amount"] += amount
        return stats

    @api.model
    def _crm_std_orders_sql(self, date_from, date_to=None, readable=False):
        """What "an order" is, defined once: SQL selecting ``(partner_id,
        company_id, amount, date)`` per order of a commercial customer dated in
        [``date_from``, ``date_to``), the amount in the currency of ``company_id``.
        Won opportunities here; the sale bridge adds confirmed sale orders (and
        leaves out the won opportunities they carry). Read by the customer tiers,
        the churn and neglect KPIs and the health score's order dimension.

        :param readable: only the orders the current user may read (``None`` when
            it may read none)
        """
        sources = [
            source
            for source in self._crm_std_order_stats_sources(date_from, readable=readable)
            if source is not None
        ]
        if not sources:
            return None
        until = SQL("TRUE") if date_to is None else SQL("orders.date < %s", date_to)
        return SQL("SELECT * FROM (%s) AS orders WHERE %s", SQL(" UNION ALL ").join(sources), until)

    @api.model
    def _crm_std_open_orders_sql(self, as_of=None):
        """SQL selecting ``(partner_id)`` once per order still open for a commercial
        customer: opportunities in progress here; the sale bridge adds quotations.
        System read (counts for the health score's churn warning and open orders).

        :param as_of: a date: the orders open at the end of that day (created by
            then, not won, lost nor cancelled by then) instead of those open now
        """
        self.env["crm.lead"].flush_model(
            ["won_status", "active", "partner_id", "create_date", "date_closed"]
        )
        return SQL(" UNION ALL ").join(self._crm_std_open_order_sources(as_of=as_of))

    @api.model
    def _crm_std_open_order_sources(self, as_of=None):
        """SQL queries selecting ``(partner_id)`` per open order (see
        :meth:`_crm_std_open_orders_sql`); bridges add theirs."""
        is_open = SQL("l.won_status = 'pending' AND l.active")
        if as_of is not None:
            # crm stamps date_closed when a lead is won or archived (lost is archived
            # with probability 0) and clears it when the lead is reopened: a lead closed
            # after the day was still open on it.
            is_open = SQL(
                "l.create_date < %(until)s AND (%(open)s OR l.date_closed >= %(until)s)",
                until=as_of + timedelta(days=1),
                open=is_open,
            )
        return [
            SQL(
                "SELECT p.commercial_partner_id AS partner_id"
                " FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id WHERE %s",
                is_open,
            )
        ]

    @api.model
    def _crm_std_order_stats_sources(self, date_from, readable=False):
        """SQL queries selecting ``(partner_id, company_id, amount, date)`` per deal,
        the amount in the currency of ``company_id``: won leads here. With
        ``readable``, only the deals the current user may read (``None`` when it may
        read none)."""
        self.env["crm.lead"].flush_model(
            ["won_status", "date_closed", "expected_revenue", "partner_id", "company_id"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        visible = SQL("TRUE")
        if readable:
            Lead = self.env["crm.lead"]
            if not Lead.has_access("read"):
                return [None]
            visible = SQL("l.id IN %s", Lead._search([("won_status", "=", "won")]).subselect())
        return [
            SQL(
                "SELECT p.commercial_partner_id AS partner_id, l.company_id,"
                " l.expected_revenue AS amount, l.date_closed AS date"
                " FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id"
                " WHERE l.won_status = 'won' AND l.date_closed >= %s AND %s AND %s",
                date_from,
                SQL(" AND ").join(self._crm_std_won_lead_conditions()),
                visible,
            )
        ]

    @api.model
    def _crm_std_won_lead_conditions(self):
        """Extra conditions on the won leads (alias ``l``) counted as deals."""
        return [SQL("TRUE")]

    @api.model
    def _crm_std_tier_thresholds(self, company):
        """The thresholds of ``company`` (revenues in its currency); configuration."""
        company = company.sudo()
        return {
            "vip": company.crm_std_tier_vip_revenue,
            "regular": company.crm_std_tier_regular_revenue,
            "high": company.crm_std_frequency_high,
            "medium": company.crm_std_frequency_medium,
        }

    @api.model
    def _crm_std_classify(self, stats, thresholds):
        """Return (tier, purchase frequency) of one customer's statistics."""
        amount, count = stats.get("amount", 0.0), stats.get("count", 0)
        if amount >= thresholds["vip"]:
            tier = "vip"
        elif amount >= thresholds["regular"] and count:
            tier = "regular"
        else:
            tier = "potential"
        if count >= thresholds["high"]:
            frequency = "high"
        elif count >= thresholds["medium"]:
            frequency = "medium"
        else:
            frequency = "low"
        return tier, frequency

    def _crm_std_tier_candidates(self, with_deals):
        """Commercial customers to classify: those of ``self`` (or all when empty)
        having deals (ids ``with_deals``) or leads, or a computed tier already.

        :return: rows ``(id, computed tier, purchase frequency, company id)``
        """
        self.env["crm.lead"].flush_model(["partner_id"])
        self.flush_model(
            ["commercial_partner_id", "customer_tier_auto", "purchase_frequency", "company_id"]
        )
        # System read of the tier recompute (cron, or the button after its checks).
        restrict = SQL("TRUE")
        if self:
            restrict = SQL("p.id = ANY(%s)", self.commercial_partner_id.ids)
        return self.env.execute_query(
            SQL(
                "SELECT p.id, p.customer_tier_auto, p.purchase_frequency, p.company_id"
                " FROM res_partner p WHERE p.id = p.commercial_partner_id AND %s"
                " AND (p.customer_tier_auto IS NOT NULL OR p.id = ANY(%s)"
                " OR EXISTS (SELECT 1 FROM crm_lead l JOIN res_partner lp ON lp.id = l.partner_id"
                " WHERE lp.commercial_partner_id = p.id)) ORDER BY p.id",
                restrict,
                list(with_deals),
            )
        )

    def _crm_std_tier_changes(self):
        """Classify customers (all when ``self`` is empty) and return those whose
        classification changes: ``[(partner id, (tier, frequency))]``.

        A customer of a company is classified with that company's thresholds, its
        deals converted into that company's currency; a customer shared by the
        companies with the thresholds of the current company (the scheduled
        action's, or the user's who presses the button). System data: every deal
        counts, see :meth:`_crm_std_order_stats`.
        """
        date_from = self._crm_std_tier_date_from()
        current = self.env.company
        stats = self._crm_std_order_stats(date_from)
        by_company = defaultdict(dict)  # company id -> {partner id: (tier, frequency)}
        for partner_id, tier, frequency, company_id in self._crm_std_tier_candidates(stats):
            by_company[company_id or current.id][partner_id] = (tier, frequency)
        changes = []
        for company_id, candidates in by_company.items():
            company = self.env["res.company"].browse(company_id)
            company_stats = stats
            if company != current:
                # the same deals in the currency of the customer's company (sudo: the
                # run classifies every company's customers, whoever started it)
                company_stats = (
                    self.sudo()
                    .browse(list(candidates))
                    .with_company(company)
                    ._crm_std_order_stats(date_from)
                )
            thresholds = self._crm_std_tier_thresholds(company)
            for partner_id, classification in candidates.items():
                new = self._crm_std_classify(company_stats.get(partner_id, {}), thresholds)
                if classification != new:
                    changes.append((partner_id, new))
        return sorted(changes)

    def _crm_std_recompute_tiers(self, batch_size=1000, commit=True):
        """Classify customers (all when ``self`` is empty) by won revenue and
        purchase frequency of the last 12 months and write only what changed, in
        batches committed through the cron progress API (``commit``). A second
        run writes nothing; a run cut short is finished by the next one.

        :return: the number of customers whose tier or frequency changed
        """
        changes = self._crm_std_tier_changes()
        cron = self.env["ir.cron"]
        if not commit:
            self._crm_std_write_tiers(changes)
            return len(changes)
        cron._commit_progress(remaining=len(changes))
        skipped = []
        for batch in split_every(batch_size, changes, list):
            skipped += self._crm_std_write_tiers_committed(batch)
            if not cron._commit_progress(len(batch)):
                break
        if skipped:
            # Customers that users kept saving while the run wrote them: the next run,
            # soon, finishes them (the run writes only what changed).
            _logger.warning(
                "Customer tiers: %d customers skipped after concurrent updates (ids %s); "
                "the run is triggered again in %d minutes.",
                len(skipped),
                skipped[:20],
                TIER_RETRY_MINUTES,
            )
            tier_cron = self.env.ref(TIER_CRON, raise_if_not_found=False)
            if tier_cron:
                tier_cron.sudo()._trigger(
                    fields.Datetime.now() + relativedelta(minutes=TIER_RETRY_MINUTES)
                )
        return len(changes) - len(skipped)

    def _crm_std_write_tiers(self, changes):
        """Write the classification of ``changes`` ([(partner id, (tier, frequency))])."""
        by_values = defaultdict(list)
        for partner_id, new in changes:
            by_values[new].append(partner_id)
        for (tier, frequency), partner_ids in by_values.items():
            # Flow values (system classification), whoever started the run.
            self.browse(partner_ids).sudo().write(
                {"customer_tier_auto": tier, "purchase_frequency": frequency}
            )
        self.env.flush_all()

    def _crm_std_write_tiers_committed(self, batch):
        """Write one batch of the scheduled run, surviving users who save the same
        customers meanwhile: on a serialization failure or deadlock the batch is rolled
        back (earlier batches are committed) and tried again on a new snapshot; after
        the last try, customer by customer, skipping those still contended.

        :return: the ids of the skipped customers
        """
        for attempt in range(TIER_TRIES):
            try:
                self._crm_std_write_tiers(batch)
                return []
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                self.env.cr.rollback()
                time.sleep(random.uniform(0.0, 0.5 * 2**attempt))
        skipped = []
        for change in batch:
            try:
                self._crm_std_write_tiers([change])
                self.env["ir.cron"]._commit_progress()  # keep each customer written
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                self.env.cr.rollback()
                skipped.append(change[0])
        return skipped

    @api.model
    def _cron_crm_std_recompute_tiers(self):
        self.browse()._crm_std_recompute_tiers()

    def action_crm_std_recompute_tier(self):
        """Recompute the tier of the selected customers now (sales managers, customers
        they may read). An empty selection does nothing: every customer is the
        scheduled action's job. The tier is system data: it counts every won deal,
        as the scheduled action does, and only the tier is shown."""
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(self.env._("Only sales managers can recompute customer tiers."))
        if not self:
            return True
        self.check_access("read")
        self.commercial_partner_id.check_access("read")
        self._crm_std_recompute_tiers(commit=False)
        return True
