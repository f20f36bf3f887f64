/** A salesperson meets a stage requirement in the pipeline, then logs a follow-up
 * (test_crm_process_std/tests/test_browser_tour.py, TestSalespersonTour, which creates the sales team,
 * stages, stage requirement and lead it uses). */
import { registry } from "@web/core/registry";

const LEAD = "Tour Lead Acme Upgrade";
const FROM_STAGE = "Tour Discovery";
const TO_STAGE = "Tour Proposal";
const column = (stage) =>
    `.o_opportunity_kanban .o_kanban_group:has(.o_column_title:contains('${stage}'))`;
const card = (stage) => `${column(stage)} .o_kanban_record:contains('${LEAD}')`;

registry.category("web_tour.tours").add("crm_process_std_tour", {
    steps: () => [
        // A salesperson drags a lead into a stage whose requirements it misses.
        {
            trigger: card(FROM_STAGE),
            content: "drag the lead into the stage that needs a phone and a revenue",
            run: `drag_and_drop (${column(TO_STAGE)})`,
        },
        {
            trigger: `.o_error_dialog:contains('Cannot move to stage "${TO_STAGE}"'):contains('${LEAD}: '):contains('Phone'):contains('Expected Revenue')`,
            content: "the error lists the missing fields by label",
        },
        {
            trigger: ".o_error_dialog .o-default-button",
            content: "close the error",
            run: "click",
        },
        {
            trigger: `body:not(:has(.o_error_dialog)) ${card(FROM_STAGE)}`,
            content: "the lead stayed in its stage: open it",
            run: "click",
        },
        // Fill the missing fields on the lead form.
        {
            trigger: ".o_form_view .o_field_widget[name=phone] input",
            content: "fill the phone",
            run: "edit +32 470 12 34 56",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=expected_revenue] input",
            content: "fill the expected revenue",
            run: "edit 12000",
        },
        {
            trigger: ".o_form_button_save",
            content: "save the lead",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
            content: "wait for the save",
        },
        {
            trigger: ".breadcrumb-item.o_back_button",
            content: "back to the pipeline",
            run: "click",
        },
        // Move it again: now it goes through.
        {
            trigger: card(FROM_STAGE),
            content: "drag the completed lead into the stage",
            run: `drag_and_drop (${column(TO_STAGE)})`,
        },
        {
            trigger: `body:not(:has(.o_error_dialog)) ${card(TO_STAGE)}`,
            content: "the lead is in the new stage: open it",
            run: "click",
        },
        // Log a follow-up from the lead.
        {
            trigger: ".o_form_view button[name=action_crm_log_followup]",
            content: "log a follow-up",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=previous_conclusion] textarea",
            content: "previous conclusion",
            run: "edit Customer wants the upgrade before the busy season",
        },
        {
            trigger: ".modal .o_field_widget[name=value_delivered] textarea",
            content: "value delivered",
            run: "edit Sized the upgrade and its price",
        },
        {
            trigger: ".modal .o_field_widget[name=next_step] textarea",
            content: "next step",
            run: "edit Send the proposal on Monday",
        },
        {
            trigger: ".modal .o_form_button_save",
            content: "save the follow-up",
            run: "click",
        },
        {
            trigger:
                "body:not(:has(.modal)) .o_form_view button[name=action_crm_view_followups] .o_stat_value:contains('1')",
            content: "the lead counts its follow-up",
        },
    ],
});
