/** A salesperson logs a follow-up on a prospect that has no customer yet, from the
 * lead form (test_crm_process_std/tests/test_browser_tour.py, TestProspectFollowupTour, which makes the
 * lead without partner). */
import { registry } from "@web/core/registry";
import { dialogClosed, dialogTitled } from "./tour_steps";

const LEAD = "Tour Prospect Walk-in Enquiry";

registry.category("web_tour.tours").add("crm_process_std_prospect_followup_tour", {
    steps: () => [
        {
            trigger: `.o_opportunity_kanban .o_kanban_record:contains('${LEAD}')`,
            content: "open the prospect from the pipeline",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_crm_log_followup]",
            content: "log a follow-up",
            run: "click",
        },
        dialogTitled(),
        {
            trigger: ".modal .o_field_widget[name=previous_conclusion] textarea",
            content: "previous conclusion",
            run: "edit Visitor asked for a price list at the fair",
        },
        {
            trigger: ".modal .o_field_widget[name=value_delivered] textarea",
            content: "value delivered",
            run: "edit Sent the price list and two references",
        },
        {
            trigger: ".modal .o_field_widget[name=next_step] textarea",
            content: "next step",
            run: "edit Call back to qualify the budget",
        },
        {
            trigger: ".modal .o_form_button_save",
            content: "save the follow-up",
            run: "click",
        },
        dialogClosed(),
        {
            trigger:
                ".o_form_view button[name=action_crm_view_followups] .o_stat_value:contains('1')",
            content: "the prospect counts its follow-up",
        },
    ],
});
