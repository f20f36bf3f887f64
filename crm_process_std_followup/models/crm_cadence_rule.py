# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, split_every
from odoo.tools.safe_eval import safe_eval

from .crm_followup import FOLLOWUP_CHANNELS
from .res_partner import CUSTOMER_TIERS

_logger = logging.getLogger(__name__)

TARGET_MODELS = {"lead": "crm.lead", "partner": "res.partner"}
MAX_CADENCE_DAYS = 3650


class CrmCadenceRule(models.Model):
    """How often a segment of leads or customers must be followed up (seed 003,
    step 2): a scheduled action gives the owner a reminder when the last
    meaningful interaction is older than the interval, and escalates it when
    it stays overdue."""

    _name = "crm.cadence.rule"
    _description = "Follow-up Cadence Rule"
    _order = "applies_to, sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(
        default=10, help="A record follows the first rule (in this order) that selects it."
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply the rule to every company."
    )
    applies_to = fields.Selection(
        [("lead", "Leads / Opportunities"), ("partner", "Customers")],
        required=True,
        default="lead",
    )
    model_name = fields.Char(compute="_compute_model_name")
    customer_tier = fields.Selection(
        CUSTOMER_TIERS, help="Only customers (or leads of customers) of this tier."
    )
    stage_ids = fields.Many2many("crm.stage", string="Stages", help="Only leads in these stages.")
    tag_ids = fields.Many2many("crm.tag", string="Tags", help="Only leads with one of these tags.")
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="Only customers with one of these tags.",
    )
    domain = fields.Char(
        string="Other Conditions",
        default="[]",
        help="Further conditions on the leads or customers, as a domain.",
    )
    interval_days = fields.Float(
        string="Every (days)",
        required=True,
        default=7.0,
        help="Longest time without a meaningful interaction; fractions allowed, e.g. "
        "3.5 for twice a week.",
    )
    channel = fields.Selection(FOLLOWUP_CHANNELS, string="Preferred Channel")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env.ref(
            "crm_process_std_followup.mail_activity_type_followup", raise_if_not_found=False
        ),
    )
    assignee = fields.Selection(
        [("owner", "Owner"), ("team_leader", "Team leader"), ("user", "A chosen user")],
        string="Assign To",
        required=True,
        default="owner",
    )
    user_id = fields.Many2one(
        "res.users", string="Chosen User", help="Receives the reminders when none is found."
    )
    escalation_days = fields.Float(
        string="Escalate After (days overdue)",
        help="Days a reminder may stay overdue before it is escalated, once. 0 never escalates.",
    )
    escalation_target = fields.Selection(
        [("team_leader", "Team leader"), ("user", "A chosen user")],
        default="team_leader",
    )
    escalation_user_id = fields.Many2one("res.users", string="Escalate To")
    description = fields.Text(translate=True)
    activity_ids = fields.One2many("mail.activity", "crm_cadence_rule_id", string="Reminders")
    open_activity_count = fields.Integer(
        string="Open Reminders", compute="_compute_open_activity_count"
    )

    @api.depends("applies_to")
    def _compute_model_name(self):
        for rule in self:
            rule.model_name = TARGET_MODELS[rule.applies_to or "lead"]

    def _compute_open_activity_count(self):
        counts = dict(
            self.env["mail.activity"]._read_group(
                [("crm_cadence_rule_id", "in", self.ids)], ["crm_cadence_rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.open_activity_count = counts.get(rule, 0)

    @api.constrains("interval_days", "escalation_days")
    def _check_days(self):
        for rule in self:
            if rule.interval_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The interval of cadence rule %(rule)s must be positive, not "
                        "%(days)s days.",
                        rule=rule.name,
                        days=rule.interval_days,
                    )
                )
            if rule.escalation_days < 0:
                raise ValidationError(
                    self.env._(
                        "The escalation delay of cadence rule %(rule)s cannot be negative "
                        "(%(days)s days).",
                        rule=rule.name,
                        days=rule.escalation_days,
                    )
                )
            # a larger interval overflows the date arithmetic of the whole cadence run
            if not (
                rule.interval_days <= MAX_CADENCE_DAYS and rule.escalation_days <= MAX_CADENCE_DAYS
            ):
                raise ValidationError(
                    self.env._(
                        "The interval and escalation delay of cadence rule %(rule)s cannot "
                        "exceed %(max)s days (10 years).",
                        rule=rule.name,
                        max=MAX_CADENCE_DAYS,
                    )
                )

    def _delays_in_range(self):
        self.ensure_one()
        in_range = (
            0 < self.interval_days <= MAX_CADENCE_DAYS
            and 0 <= self.escalation_days <= MAX_CADENCE_DAYS
        )
        if not in_range:
            _logger.warning("Cadence rule %s skipped: delays out of range.", self.id)
        return in_range

    @api.constrains(
        "assignee", "user_id", "escalation_target", "escalation_user_id", "escalation_days"
    )
    def _check_users(self):
        for rule in self:
            if rule.assignee == "user" and not rule.user_id:
                raise ValidationError(
                    self.env._("Cadence rule %s assigns a chosen user: choose the user.", rule.name)
                )
            if (
                rule.escalation_days
                and rule.escalation_target == "user"
                and not (rule.escalation_user_id)
            ):
                raise ValidationError(
                    self.env._(
                        "Cadence rule %s escalates to a chosen user: choose the user.", rule.name
                    )
                )

    @api.constrains("domain", "applies_to")
    def _check_domain(self):
        for rule in self:
            try:
                rule._filter_domain()
                # validates the administrator's condition only: no record data returned
                self.env[rule.model_name].sudo().search(rule._filter_domain(), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The conditions of cadence rule %(rule)s are not a valid domain: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    # ------------------------------------------------------------------
    # Selection of the records a rule follows
    # ------------------------------------------------------------------
    def _filter_domain(self):
        """The rule's own conditions (segment), without the base scope."""
        self.ensure_one()
        domain = Domain(safe_eval(self.domain or "[]"))
        is_lead = self.applies_to == "lead"
        if self.customer_tier:
            field = "partner_id.commercial_partner_id.customer_tier" if is_lead else "customer_tier"
            domain &= Domain(field, "=", self.customer_tier)
        if is_lead and self.stage_ids:
            domain &= Domain("stage_id", "in", self.stage_ids.ids)
        if is_lead and self.tag_ids:
            domain &= Domain("tag_ids", "in", self.tag_ids.ids)
        if not is_lead and self.partner_category_ids:
            domain &= Domain("category_id", "in", self.partner_category_ids.ids)
        if self.company_id:
            company = Domain("company_id", "=", self.company_id.id)
            domain &= company if is_lead else company | Domain("company_id", "=", False)
        return domain

    @api.model
    def _base_domain(self, applies_to):
        """What a cadence may follow at all: open leads, commercial customers."""
        if applies_to == "lead":
            return Domain("won_status", "=", "pending")
        return Domain("parent_id", "=", False)

    def _scope_domain(self):
        """Records this rule follows: its segment, minus those an earlier rule takes."""
        self.ensure_one()
        earlier = self.search(
            [("applies_to", "=", self.applies_to), ("id", "!=", self.id)]
        ).filtered(lambda r: (r.sequence, r.id) < (self.sequence, self.id))
        domain = self._base_domain(self.applies_to) & self._filter_domain()
        for rule in earlier:
            domain &= ~rule._filter_domain()
        return domain

    def _team_leader_sql(self, record):
        """SQL giving the team leader of ``record`` (an alias): the leader of the
        lead's team, or of the team of the customer's salesperson."""
        self.ensure_one()
        if self.applies_to == "lead":
            return SQL("(SELECT t.user_id FROM crm_team t WHERE t.id = %s.team_id)", record)
        return SQL(
            "(SELECT t.user_id FROM crm_team_member m JOIN crm_team t ON t.id = m.crm_team_id"
            " WHERE m.user_id = %s.user_id AND m.active AND t.active ORDER BY m.id LIMIT 1)",
            record,
        )

    def _due_records_sql(self, now):
        """SQL selecting (record id, assignee id) of the records due for a reminder:
        in scope, last meaningful interaction (follow-up, done activity, else
        creation) older than the interval, and no open cadence reminder."""
        self.ensure_one()
        query = self.env[self.model_name]._search(self._scope_domain())
        rec = SQL.identifier(query.table)
        owner, leader = SQL("%s.user_id", rec), self._team_leader_sql(rec)
        chosen = SQL("%s::int", self.user_id.id or None)
        assignees = {
            "owner": [owner, leader, chosen],
            "team_leader": [leader, owner, chosen],
            "user": [chosen, owner, leader],
        }[self.assignee]
        query.add_where(
            SQL(
                """GREATEST(
                       %(rec)s.last_contact_date,
                       %(rec)s.create_date,
                       (SELECT MAX(done.date_done)::timestamp FROM mail_activity done
                         WHERE done.res_model = %(model)s AND done.res_id = %(rec)s.id
                           AND done.active IS NOT TRUE)
                   ) <= %(now)s - %(interval)s * INTERVAL '1 day'
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_activity open
                        WHERE open.res_model = %(model)s AND open.res_id = %(rec)s.id
                          AND open.active AND open.crm_cadence_kind IS NOT NULL)""",
                rec=rec,
                model=self.model_name,
                now=now,
                interval=self.interval_days,
            )
        )
        query.order = SQL("%s.id", rec)
        return query.select(SQL("%s.id", rec), SQL("COALESCE(%s)", SQL(", ").join(assignees)))

    def _escalations_sql(self, now):
        """SQL selecting (reminder id, target user id) of this rule's reminders
        overdue for longer than the escalation delay and not escalated yet."""
        self.ensure_one()
        rec = SQL.identifier("rec")
        leader = self._team_leader_sql(rec)
        chosen = SQL("%s::int", self.escalation_user_id.id or None)
        targets = [chosen, leader] if self.escalation_target == "user" else [leader, chosen]
        return SQL(
            """
            SELECT id, target FROM (
                SELECT act.id, COALESCE(%(target)s) AS target
                  FROM mail_activity act
                  JOIN %(table)s rec ON rec.id = act.res_id
                 WHERE act.crm_cadence_rule_id = %(rule)s AND act.res_model = %(model)s
                   AND act.active AND act.crm_cadence_kind = 'reminder'
                   AND act.crm_cadence_escalated IS NOT TRUE
                   AND act.date_deadline + %(days)s * INTERVAL '1 day' <= %(now)s
            ) AS overdue WHERE target IS NOT NULL ORDER BY id
            """,
            target=SQL(", ").join(targets),
            table=SQL.identifier(self.env[self.model_name]._table),
            rule=self.id,
            model=self.model_name,
            days=self.escalation_days,
            now=now,
        )

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_create_due_activities(self, batch_size=1000):
        """Create the due follow-up reminders and escalate the overdue ones.

        Set-based: one query per rule selects the due records, reminders are
        created in batches committed through the cron progress API. A second
        run creates nothing (records with an open reminder are skipped) and a
        run cut short is completed by the next one without duplicates.
        """
        cron = self.env["ir.cron"]
        now = fields.Datetime.now()
        self.env["mail.activity"].flush_model()
        for model_name in TARGET_MODELS.values():
            self.env[model_name].flush_model()
        work = []
        # scheduled action (superuser): every company's rules; one rule stored with an
        # out-of-range delay (before its bounds existed) is skipped, not the whole run
        for rule in self.search([]).filtered(lambda r: r._delays_in_range()):
            work += [
                (rule, "remind", row) for row in self.env.execute_query(rule._due_records_sql(now))
            ]
            if rule.escalation_days:
                work += [
                    (rule, "escalate", row)
                    for row in self.env.execute_query(rule._escalations_sql(now))
                ]
        cron._commit_progress(remaining=len(work))
        for batch in split_every(batch_size, work, list):
            reminders = [(rule, row) for rule, kind, row in batch if kind == "remind"]
            escalations = [(rule, row) for rule, kind, row in batch if kind == "escalate"]
            self._create_reminders(reminders)
            self._create_escalations(escalations)
            if not cron._commit_progress(len(batch)):
                return False
        return True

    @api.model
    def _create_reminders(self, rows):
        """Insert the reminders of ``rows`` ((rule, (record id, assignee id))).

        Set-based on purpose: ``mail.activity.create()`` costs 0.3-0.5 ms per
        record in ORM bookkeeping (defaults, cache, inverses), which kept the
        cron above 5x its due-set query even with every value precomputed.
        One ``INSERT ... SELECT FROM unnest()`` writes the rows with every
        stored field create() would store; what create() does next and users
        notice is kept: assignees follow the record, their activity counters
        are refreshed on the bus. No e-mail per reminder, as before.
        """
        if not rows:
            return
        Activity = self.env["mail.activity"]
        model_ids = {name: self.env["ir.model"]._get_id(name) for name in TARGET_MODELS.values()}
        names = {}
        for model_name in TARGET_MODELS.values():
            records = self.env[model_name].browse(
                {row[0] for rule, row in rows if rule.model_name == model_name}
            )
            names[model_name] = {record.id: record.display_name for record in records}
        users = self.env["res.users"].browse({row[1] for rule, row in rows if row[1]})
        time_zones = {user.id: user.tz or None for user in users}
        summaries = {rule: rule._reminder_summary() for rule in {rule for rule, row in rows}}
        columns = {
            "res_model_id": ("int4", [model_ids[rule.model_name] for rule, row in rows]),
            "res_model": ("varchar", [rule.model_name for rule, row in rows]),
            "res_id": ("int4", [row[0] for rule, row in rows]),
            "res_name": ("varchar", [names[rule.model_name][row[0]] for rule, row in rows]),
            "activity_type_id": ("int4", [rule.activity_type_id.id for rule, row in rows]),
            "summary": ("varchar", [summaries[rule] for rule, row in rows]),
            "user_id": ("int4", [row[1] for rule, row in rows]),
            "user_tz": ("varchar", [time_zones.get(row[1]) for rule, row in rows]),
            "crm_cadence_rule_id": ("int4", [rule.id for rule, row in rows]),
        }
        today = fields.Date.context_today(self)
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """INSERT INTO mail_activity (%(names)s, date_deadline, automated, active,
                           crm_cadence_kind, create_uid, write_uid, create_date, write_date)
                       SELECT %(names)s, %(today)s, TRUE, TRUE, 'reminder',
                              %(uid)s, %(uid)s, %(now)s, %(now)s
                         FROM unnest(%(arrays)s) AS t(%(names)s)
                    RETURNING id""",
                    names=SQL(", ").join(SQL.identifier(name) for name in columns),
                    arrays=SQL(", ").join(
                        SQL("%s::%s[]", values, SQL(sql_type))
                        for sql_type, values in columns.values()
                    ),
                    today=today,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                )
            )
        ]
        # The ORM cache forgets the documents' activity lists and, as in
        # create(), fields of other models depending on activities are marked
        # for recomputation (the reminders' own fields were written above).
        self.env.invalidate_all()
        activities = Activity.browse(ids)
        with self.env.protecting(Activity._fields.values(), activities):
            activities.modified(Activity._fields, create=True)
        # As create(): the assignee follows the record (one call per model and user).
        per_user = defaultdict(set)
        for rule, (record_id, user_id) in rows:
            if user_id:
                per_user[rule.model_name, user_id].add(record_id)
        for (model_name, user_id), record_ids in per_user.items():
            partner = self.env["res.users"].browse(user_id).partner_id
            self.env[model_name].browse(record_ids).message_subscribe(partner_ids=partner.ids)
        # As create(): the assignees' activity counters (reminders are due today).
        counts = Counter(user_id for rule, (record_id, user_id) in rows if user_id)
        for user_id, count in counts.items():
            self.env["res.users"].browse(user_id)._bus_send(
                "mail.activity/updated", {"activity_created": True, "count_diff": count}
            )

    def _reminder_summary(self):
        self.ensure_one()
        channels = dict(self._fields["channel"]._description_selection(self.env))
        if self.channel:
            return self.env._(
                "Follow up (%(rule)s, by %(channel)s)",
                rule=self.name,
                channel=channels[self.channel],
            )
        return self.env._("Follow up (%s)", self.name)

    @api.model
    def _create_escalations(self, rows):
        if not rows:
            return
        reminders = self.env["mail.activity"].browse([row[0] for rule, row in rows])
        today = fields.Date.context_today(self)
        vals_list = []
        for (rule, (_reminder_id, user_id)), reminder in zip(rows, reminders, strict=True):
            vals_list.append(
                {
                    "res_model_id": reminder.res_model_id.id,
                    "res_id": reminder.res_id,
                    "activity_type_id": self.env.ref(
                        "crm_process_std_base.mail_activity_type_escalation"
                    ).id,
                    "summary": self.env._(
                        "Overdue follow-up of %(owner)s since %(deadline)s (%(rule)s)",
                        owner=reminder.user_id.name or self.env._("nobody"),
                        deadline=reminder.date_deadline,
                        rule=rule.name,
                    ),
                    "date_deadline": today,
                    "user_id": user_id,
                    "automated": True,
                    "crm_cadence_rule_id": rule.id,
                    "crm_cadence_kind": "escalation",
                    "crm_cadence_escalated": True,
                }
            )
        self.env["mail.activity"].create(vals_list)
        reminders.write({"crm_cadence_escalated": True})

    def action_view_reminders(self):
        self.ensure_one()
        self.check_access("read")  # the reminders listed follow mail.activity's own rules
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminders of %s", self.name),
            "res_model": "mail.activity",
            "view_mode": "list,form",
            "domain": [("crm_cadence_rule_id", "=", self.id)],
            "context": {"create": False},
        }
