"""Set-up of a load run database, run in ``odoo shell`` by setup/load.sh.

Creates the simulated staff (known passwords), switches off the lead enrichment (IAP)
scheduled action, and on the addons' side makes each scheduled action of the addons
run every minute from now on. Writes what the Locust users need (logins, stages,
teams, customers) as JSON. Everything is found by model and search, never by the
addons' XML ids (which move when an addon is split): the few records the set-up must
name are looked up in ``ir.model.data`` by name alone.
"""

import json
import random

from odoo import Command, fields

PASSWORD = "load-test-pw"
# Staff per role: more than the simulated users of a role, each takes its own login.
POOL = {"sales": 24, "after_sales": 8, "manager": 8}
# Open opportunities each salesperson starts with (the same on both sides), and on the
# addons' side per gated team.
SEED_LEADS = 6
SEED_GATED_LEADS = 2
CUSTOMERS = 300
ADDON_PREFIXES = ("crm_process_std", "crm_health_score")


def record_by_name(env, model, name):
    """The record of ``model`` whose XML id is ``<any module>.name`` (or empty)."""
    data = env["ir.model.data"].search([("model", "=", model), ("name", "=", name)], limit=1)
    return env[model].browse(data.res_id).exists()


def addon_modules(env):
    return env["ir.module.module"].search(
        [("state", "=", "installed"), "|", *[("name", "=like", f"{p}%") for p in ADDON_PREFIXES]]
    )


def make_users(env, role, groups, count):
    users = env["res.users"]
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    for index in range(1, count + 1):
        login = f"load_{role}_{index:02d}"
        user = Users.search([("login", "=", login)])
        values = {"password": PASSWORD, "group_ids": [Command.set(groups.ids)]}
        if user:
            user.write(values)
        else:
            user = Users.create(
                {"name": f"Load {role.replace('_', ' ').title()} {index:02d}", "login": login}
                | values
            )
        users |= user
    return users


def make_customers(env):
    """Customers of the load run (the same on both sides): as many as the leads to come
    share few of them, a lead's phone typed by one user (written through to its
    customer and the customer's other leads by crm) would meet every other user's
    writes. One in ten has no industry (the won gate of the demo asks for it), two in
    five no phone (the proposal gate asks for the lead's)."""
    industries = env["res.partner.industry"].search([], order="id")
    existing = env["res.partner"].search([("name", "=like", "Load customer %")], order="id")
    if existing:
        return existing
    return (
        env["res.partner"]
        .with_context(mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Load customer {index:03d}",
                    "is_company": True,
                    "industry_id": industries[index % len(industries)].id
                    if industries and index % 10
                    else False,
                    "phone": f"+86 21 6288 {index:04d}" if index % 5 > 1 else False,
                    "email": f"buyer{index:03d}@load-customer.example.com",
                }
                for index in range(CUSTOMERS)
            ]
        )
    )


def switch_off_enrichment(env):
    """The lead enrichment (IAP) run spins without network: off for load runs."""
    crons = (
        env["ir.cron"]
        .with_context(active_test=False)
        .search(["|", ("code", "ilike", "enrich"), ("name", "ilike", "enrich")])
    )
    crons.write({"active": False})
    return crons.mapped("name")


def crons_every_minute(env):
    """Each scheduled action of the addons runs every minute, the first one now."""
    modules = addon_modules(env).mapped("name")
    data = env["ir.model.data"].search([("model", "=", "ir.cron"), ("module", "in", modules)])
    crons = env["ir.cron"].with_context(active_test=False).browse(data.mapped("res_id")).exists()
    crons.write(
        {
            "active": True,
            "interval_number": 1,
            "interval_type": "minutes",
            "nextcall": fields.Datetime.now(),
        }
    )
    return crons.mapped("name")


def stage_ids(env, domain):
    return env["crm.stage"].search(domain, order="sequence, id").ids


def prepare(env, side, out_path):
    """Prepare the database of ``side`` ("addons" or "vanilla"); write ``out_path``."""
    env = env(user=env.ref("base.user_root").id, context={**env.context, "tracking_disable": 1})
    salesman = record_by_name(env, "res.groups", "group_sale_salesman")
    manager = record_by_name(env, "res.groups", "group_sale_manager")
    users = {"sales": make_users(env, "sales", salesman, POOL["sales"])}
    manager_groups = manager | record_by_name(env, "res.groups", "group_sales_director")
    users["manager"] = make_users(env, "manager", manager_groups, POOL["manager"])
    after_sales = record_by_name(env, "res.groups", "group_after_sales")
    # vanilla: the after-sales seats browse won deals as salespeople
    users["after_sales"] = make_users(
        env, "after_sales", after_sales or salesman, POOL["after_sales"]
    )
    sales_team = record_by_name(env, "crm.team", "team_sales_department")
    stages = env["crm.stage"].search([], order="sequence, id")
    open_generic = stages.filtered(lambda s: not s.is_won and not s.team_ids)
    won_generic = stages.filtered(lambda s: s.is_won and not s.team_ids)[:1]
    partners = make_customers(env)
    info = {
        "side": side,
        "password": PASSWORD,
        "logins": {role: records.mapped("login") for role, records in users.items()},
        "sales_team": sales_team.id,
        "open_stages": open_generic.ids,
        "won_stage": won_generic.id,
        "partners": partners.filtered("industry_id").ids,
        "partners_without_industry": (partners - partners.filtered("industry_id")).ids,
        "enrichment_off": switch_off_enrichment(env),
        "crons": [],
    }
    seed = random.Random(42)
    vals_list = [
        {
            "name": f"Load seed deal {user.login} {index}",
            "type": "opportunity",
            "user_id": user.id,
            "team_id": sales_team.id,
            "partner_id": seed.choice(info["partners"]),
            "expected_revenue": seed.randint(5, 90) * 1000,
            "stage_id": seed.choice(open_generic.ids),
        }
        for user in users["sales"]
        for index in range(SEED_LEADS)
    ]
    if side == "addons":
        info.update(prepare_process(env, users, stages))
        low = min(info["approval_amounts"] or [100000])
        for user in users["sales"]:
            for index in range(SEED_GATED_LEADS):
                vals_list += [
                    {
                        "name": f"Load seed gated deal {user.login} {index}",
                        "type": "opportunity",
                        "user_id": user.id,
                        "team_id": team,
                        "partner_id": seed.choice(info["partners"]),
                        "expected_revenue": amount,
                        "stage_id": open_generic[:1].id,
                    }
                    for team, amount in (
                        (info["requirement_team"], seed.randint(10, 95) * 1000),
                        (info["approval_team"], low * seed.choice([1.2, 2, 6])),
                    )
                    if team
                ]
        info["crons"] = crons_every_minute(env)
    env["crm.lead"].with_context(mail_create_nolog=True).create(vals_list)
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(info, out, indent=1)


def prepare_process(env, users, stages):
    """The gates the process users meet, found by model: the team with blocking stage
    requirements, the team with approval levels, the gated stages; the after-sales
    users join the receiving team of handoffs."""
    blocking = env["crm.stage.requirement"].search([("mode", "=", "block")])
    requirement_team = blocking.team_ids[:1]
    levels = env["crm.approval.level"].search([])
    approval_team = levels.team_ids[:1]
    # the process settings of the company the simulated staff work in (per company)
    company = env.company.sudo()
    handoff_team = company.crm_handoff_team_id
    if handoff_team:
        handoff_team.member_ids |= users["after_sales"]
    approval_stage = company.crm_approval_stage_id.id
    handoff_stage = company.crm_handoff_stage_id.id

    def team_stages(team):
        return stages.filtered(lambda s: not s.team_ids or team in s.team_ids)

    return {
        "requirement_team": requirement_team.id,
        "requirement_stages": team_stages(requirement_team).ids,
        "requirement_won": team_stages(requirement_team).filtered("is_won")[:1].id,
        "approval_team": approval_team.id,
        "approval_stages": team_stages(approval_team).filtered(lambda s: not s.is_won).ids,
        "approval_won": team_stages(approval_team).filtered("is_won")[:1].id,
        "approval_amounts": sorted(levels.mapped("min_amount")),
        "approval_stage": approval_stage,
        "handoff_stage": handoff_stage,
        "handoff_team": handoff_team.id,
    }
