# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# Activities listed by name in one notification; the rest are counted.
NOTIFIED_ACTIVITIES_LISTED = 20


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _crm_std_notify_assignees(self, subject, intro, footer=None):
        """Tell each assignee, once, of the activities of ``self`` a scheduled action
        gave them: one notification (Inbox or e-mail, as they chose) listing them, in
        their language, instead of Odoo's one per activity. The activities are created
        with ``mail_activity_quick_update`` (no notification of their own) and then
        passed here. As when an activity is assigned by hand, nobody is notified of
        their own.

        :param subject: ``subject(env, count)``: the subject in ``env``'s language
        :param intro: ``intro(env)``: the sentence above the list, likewise
        :param footer: optional ``footer(env, user)``: a sentence below the list for
            ``user`` (or nothing), likewise
        """
        for user, assigned in self.grouped("user_id").items():
            if not user or user == self.env.user:
                continue
            env = self.with_context(lang=user.lang or self.env.lang).env
            assigned = assigned.with_env(env).sorted(lambda a: (a.date_deadline, a.id))
            body = env["ir.qweb"]._render(
                "crm_process_std_base.activities_assigned",
                {
                    "intro": intro(env),
                    "activities": assigned[:NOTIFIED_ACTIVITIES_LISTED],
                    "more": max(len(assigned) - NOTIFIED_ACTIVITIES_LISTED, 0),
                    "footer": footer(env, user) if footer else False,
                },
                minimal_qcontext=True,
            )
            env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                author_id=self.env.ref("base.partner_root").id,
                subject=subject(env, len(assigned)),
                body=body,
            )
