/** A Chinese salesperson imports the customer sample from the customer list's
 * "Import records" (gear menu), keeping the mapping the dialog proposes
 * (test_crm_process_std/tests/test_browser_tour.py, TestSampleImportZhTour, which puts the sample file
 * data/customer_information_sample.csv among the user's attachments for the tour to
 * upload). Selectors do not depend on English labels: the user reads Chinese. */
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";
import { openMenuXmlid } from "./tour_steps";

const SAMPLE = "customer_information_sample.csv";
const FIRST_CUSTOMER = "Sample Hengyuan Machinery";

/** The sample file as the user picks it from their disk. */
async function sampleFile() {
    const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
        model: "ir.attachment",
        method: "search_read",
        args: [[["name", "=", SAMPLE]], ["datas"]],
        kwargs: {},
    });
    const bytes = Uint8Array.from(atob(attachment.datas), (char) => char.charCodeAt(0));
    return new File([bytes], SAMPLE, { type: "text/csv" });
}

registry.category("web_tour.tours").add("crm_process_std_sample_import_zh_tour", {
    steps: () => [
        ...openMenuXmlid("crm.crm_menu_sales", "crm.res_partner_menu_customer"),
        {
            // the customers' list or kanban (their name column / card field), not the
            // pipeline still on screen while the action loads: a view switch or an
            // import started there would act on leads
            trigger:
                ".o_list_view th[data-name='complete_name'], " +
                ".o_kanban_view .o_field_widget[name='complete_name']",
            content: "the customers are shown",
        },
        {
            trigger: ".o_control_panel .o_switch_view.o_list",
            content: "switch to the customer list",
            run: "click",
        },
        {
            trigger: ".o_list_view th[data-name='complete_name']",
            content: "the customer list is shown",
        },
        {
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            content: "open the gear menu",
            run: "click",
        },
        {
            trigger: ".o_import_menu:contains('导入记录')",
            content: "Import records, in Chinese",
            run: "click",
        },
        {
            trigger: ".o_control_panel_main_buttons .o_import_file",
            content: "upload the sample file",
            async run() {
                const input = document.querySelector(".o_control_panel_main_buttons .o_input_file");
                const transfer = new DataTransfer();
                transfer.items.add(await sampleFile());
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: `.o_import_data_sidepanel:contains('customer_information_sample')`,
            content: "the preview shows the file",
        },
        {
            trigger: ".o_import_data_content tbody tr:contains('industry_id/id')",
            content: "the columns are listed with the proposed fields",
        },
        {
            trigger: ".o_control_panel_main_buttons > button:contains('导入')",
            content: "keep the proposed mapping and import",
            run: "click",
        },
        {
            trigger: `body:not(:has(.o_import_data_content)) .o_list_view .o_data_row:contains('${FIRST_CUSTOMER}')`,
            content: "the imported customers are listed",
        },
    ],
});
