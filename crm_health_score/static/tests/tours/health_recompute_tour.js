/** A sales manager recomputes every customer's health from the list's header button
 * (test_crm_process_std/tests/test_browser_tour.py, TestHealthRecomputeTour, which makes the customer). */
import { registry } from "@web/core/registry";
import { openMenu } from "@crm_process_std_base/../tests/tours/tour_steps";

const CUSTOMER = "Tour Health Newcomer Ltd";

registry.category("web_tour.tours").add("crm_health_score_recompute_tour", {
    steps: () => [
        ...openMenu("Customer Health", "Health Scores"),
        {
            // the health kanban, not the pipeline still on screen while the action
            // loads: a view switch there would show the leads' list
            trigger: ".o_kanban_view.o_crm_health_kanban",
            content: "the health kanban is shown",
        },
        {
            trigger: ".o_control_panel .o_switch_view.o_list",
            content: "switch to the list",
            run: "click",
        },
        {
            trigger: `.o_list_view:has(th[data-name='risk_level']):not(:has(.o_data_row:contains('${CUSTOMER}')))`,
            content: "the health list: the new customer has no health score yet",
        },
        {
            trigger: ".o_control_panel button[name=action_recompute_all]",
            content: "Recompute All Now, nothing selected",
            run: "click",
        },
        {
            trigger: `body:not(:has(.o_error_dialog)) .o_list_view .o_data_row:contains('${CUSTOMER}')`,
            content: "the list reloads with the new customer scored, no error",
        },
    ],
});
