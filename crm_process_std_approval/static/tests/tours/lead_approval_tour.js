/** A sales manager approves a deal from the To Approve list, in the Approve dialog
 * (test_crm_process_std/tests/test_browser_tour.py, TestApprovalTour, which requests the approval). */
import { registry } from "@web/core/registry";
import { dialogClosed, dialogTitled, openMenu } from "@crm_process_std_base/../tests/tours/tour_steps";

const LEAD = "Tour Deal Harbour Fit-out";
const row = `.o_list_view .o_data_row:contains('${LEAD}')`;

registry.category("web_tour.tours").add("crm_process_std_approval_tour", {
    steps: () => [
        ...openMenu("Customer Process", "To Approve"),
        {
            trigger: `${row} button[name=action_open_decision]:contains('Approve')`,
            content: "approve the deal waiting for me",
            run: "click",
        },
        dialogTitled(),
        {
            trigger: ".modal .o_field_widget[name=comment] textarea",
            content: "note the condition",
            run: "edit Margin checked: approved at this price",
        },
        {
            trigger: ".modal .modal-footer button[name=action_confirm]:contains('Approve')",
            content: "confirm the approval",
            run: "click",
        },
        dialogClosed(),
        {
            trigger: `.o_list_view:not(:has(${row}))`,
            content: "the deal left the list of approvals waiting for me",
        },
    ],
});
