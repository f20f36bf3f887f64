"""Benchmark: stage-requirement overhead on a batch write.

Moves ``--size`` open leads (default 1 000) into a stage guarded by five
requirements (lead fields, a customer field, a condition-limited rule), then
makes the same write with the requirements deactivated, in the same run.
Target: at most 1.5x. Nothing is committed.

    python3 tests/bench_stage_requirements.py --db DB --size 1000
"""

import sys

from bench_common import REPO_ROOT, best_of, emit, odoo_env, parse_args

sys.path.insert(0, str(REPO_ROOT))


def main():
    args = parse_args(__doc__.splitlines()[0], 1000)
    from data.generators.stage_leads import generate

    with odoo_env(args.db) as env:
        team = env["crm.team"].create({"name": "Bench Team", "sequence": 999})
        Stage = env["crm.stage"]
        start = Stage.create({"name": "Bench Start", "sequence": 500, "team_ids": team.ids})
        target = Stage.create({"name": "Bench Target", "sequence": 501, "team_ids": team.ids})
        field = env["ir.model.fields"]._get
        requirements = env["crm.stage.requirement"].create(
            [
                {
                    "name": spec["name"],
                    "stage_id": target.id,
                    "mode": "block",
                    "team_ids": team.ids,
                    "domain": spec.get("domain", "[]"),
                    "lead_field_ids": [field("crm.lead", name).id for name in spec.get("lead", [])],
                    "partner_field_ids": [
                        field("res.partner", name).id for name in spec.get("partner", [])
                    ],
                }
                for spec in (
                    {"name": "Phone", "lead": ["phone"]},
                    {"name": "Email", "lead": ["email_from"]},
                    {"name": "Need", "lead": ["core_need", "need_priority", "expected_revenue"]},
                    {"name": "Industry", "partner": ["industry_id"]},
                    {
                        "name": "Decision maker",
                        "lead": ["decision_maker_id"],
                        "domain": "[('expected_revenue', '>', 100000)]",
                    },
                )
            ]
        )
        leads = generate(env, args.size, team, start)
        env.invalidate_all()

        def move(stage):
            def run():
                leads.write({"stage_id": stage.id})
                env.flush_all()

            return run

        def timed_move(active):
            requirements.write({"active": active})
            env.flush_all()
            env.invalidate_all()
            seconds = best_of(move(target), repeat=1)
            move(start)()
            return seconds

        move(target)()  # warm-up
        move(start)()
        # Interleaved rounds: both figures see the same machine load.
        rounds = [(timed_move(True), timed_move(False)) for _round in range(7)]
        with_rules = min(pair[0] for pair in rounds)
        without_rules = min(pair[1] for pair in rounds)
        emit(
            f"stage write of {len(leads)} leads, 5 requirements",
            with_rules,
            "s",
            baseline=without_rules,
            max_ratio=1.5,
            note="baseline: same write, requirements deactivated",
        )
        env.cr.rollback()


if __name__ == "__main__":
    main()
