"""Benchmark: cost of the handoff and approval gates on batch stage writes, and of
creating handoffs when many opportunities are won at once.

    python3 tests/bench_handoff_approval.py --db DB --size 1000

Everything runs in one transaction that is rolled back: the database is left as it was.
"""

import time

from bench_common import emit, odoo_env, parse_args


def _timed(function, repeat=3):
    """Best wall time of ``function()``, each run followed by its (untimed) undo."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        undo = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        undo()
    return best


def _setup(env, size):
    team = env["crm.team"].create({"name": "Bench approval team"})
    stages = env["crm.stage"].create(
        [
            {"name": "Bench qualified", "sequence": 2, "team_ids": team.ids},
            {"name": "Bench proposal", "sequence": 3, "team_ids": team.ids},
            {"name": "Bench won", "sequence": 70, "is_won": True, "team_ids": team.ids},
            {"name": "Bench onboarding", "sequence": 71, "is_won": True, "team_ids": team.ids},
        ]
    )
    env["crm.approval.level"].create(
        [
            {
                "name": f"Bench level {index}",
                "sequence": index,
                "min_amount": amount,
                "approver_group_id": env.ref("sales_team.group_sale_manager").id,
                "team_ids": team.ids,
            }
            for index, amount in enumerate((100000, 500000))
        ]
    )
    leads = env["crm.lead"].create(
        [
            {
                "name": f"Bench deal {index}",
                "type": "opportunity",
                "team_id": team.id,
                "stage_id": stages[0].id,
                "expected_revenue": 150000 + (index % 3) * 200000,
            }
            for index in range(size)
        ]
    )
    # Every deal approved at every level it needs: the gate runs its full check and passes.
    status = env["crm.approval.level"]._levels_by_lead(leads)
    env["crm.lead.approval"].create(
        [
            {"lead_id": lead.id, "level_id": level.id, "state": "approved"}
            for lead in leads
            for level in status[lead.id]
        ]
    )
    env.flush_all()
    return leads, stages


def main():
    args = parse_args(__doc__.splitlines()[0], default_size=1000)
    with odoo_env(args.db) as env:
        company = env.company
        leads, (qualified, proposal, won, onboarding) = _setup(env, args.size)

        def move(stage):
            def run():
                leads.write({"stage_id": stage.id})
                env.flush_all()
                return lambda: (leads.write({"stage_id": qualified.id}), env.flush_all())

            return run

        company.crm_approval_stage_id = False
        baseline = _timed(move(proposal))
        company.crm_approval_stage_id = proposal
        gated = _timed(move(proposal))
        emit(
            f"approval gate: stage write of {args.size} leads",
            gated,
            "s",
            baseline=baseline,
            max_ratio=1.5,
            note="baseline: same write, no gated stage",
        )

        # Winning: draft handoffs with pre-filled content and checklist, one per lead.
        def win():
            leads.write({"stage_id": won.id})
            env.flush_all()

            def undo():
                env["crm.handoff"].search([("lead_id", "in", leads.ids)]).unlink()
                leads.write({"stage_id": qualified.id})
                env.flush_all()

            return undo

        company.crm_handoff_auto_create = False
        baseline = _timed(win)
        company.crm_handoff_auto_create = True
        with_handoffs = _timed(win)
        emit(
            f"win {args.size} leads, creating their handoffs",
            with_handoffs,
            "s",
            baseline=baseline,
            note="baseline: same win, automatic handoff off",
        )

        # Handoff gate: every handoff accepted, the leads move on to onboarding.
        leads.write({"stage_id": won.id})
        handoffs = env["crm.handoff"].search([("lead_id", "in", leads.ids)])
        handoffs.write({"state": "accepted"})

        def onboard():
            leads.write({"stage_id": onboarding.id})
            env.flush_all()
            return lambda: (leads.write({"stage_id": won.id}), env.flush_all())

        company.crm_handoff_stage_id = False
        baseline = _timed(onboard)
        company.crm_handoff_stage_id = onboarding
        gated = _timed(onboard)
        emit(
            f"handoff gate: stage write of {args.size} leads",
            gated,
            "s",
            baseline=baseline,
            max_ratio=1.5,
            note="baseline: same write, no stage waiting for the handoff",
        )
        env.cr.rollback()


if __name__ == "__main__":
    main()
