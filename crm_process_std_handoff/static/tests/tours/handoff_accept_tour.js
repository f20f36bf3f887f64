/** An after-sales user accepts a handoff, rating it in the Accept dialog
 * (test_crm_process_std/tests/test_browser_tour.py, TestHandoffAcceptTour, which submits the handoff). */
import { registry } from "@web/core/registry";
import { dialogClosed, dialogTitled, openMenu } from "@crm_process_std_base/../tests/tours/tour_steps";

const LEAD = "Tour Handoff Lotus Desks";

registry.category("web_tour.tours").add("crm_process_std_handoff_accept_tour", {
    steps: () => [
        ...openMenu("Customer Process", "My Handoffs"),
        {
            trigger: `.o_kanban_view .o_kanban_record:contains('${LEAD}')`,
            content: "open the submitted handoff",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_decision]:contains('Accept')",
            content: "accept it",
            run: "click",
        },
        dialogTitled(),
        {
            trigger: ".modal .o_field_widget[name=quality_rating] input[data-value='4']",
            content: "rate the handoff: very good",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=rating_comment] textarea",
            content: "say why",
            run: "edit Contract and contacts complete; delivery date confirmed",
        },
        {
            trigger: ".modal .modal-footer button[name=action_confirm]:contains('Accept')",
            content: "confirm the acceptance",
            run: "click",
        },
        dialogClosed(),
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='accepted']",
            content: "the handoff is accepted",
        },
    ],
});
