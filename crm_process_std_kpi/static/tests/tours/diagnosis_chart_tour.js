/** A process administrator opens a diagnosis and sees its figures as a chart: one bar
 * per figure of the table below it (test_crm_process_std/tests/test_browser_tour.py, TestDiagnosisChartTour,
 * which runs the diagnosis). */
import { registry } from "@web/core/registry";
import { openMenuXmlid } from "@crm_process_std_base/../tests/tours/tour_steps";

const DIAGNOSIS = "Tour Diagnosis before the rollout";
const CHART = ".o_form_view .o_field_widget[name=chart] .o_crm_diagnosis_chart";

registry.category("web_tour.tours").add("crm_process_std_diagnosis_chart_tour", {
    steps: () => [
        ...openMenuXmlid("crm.crm_menu_config", "crm_process_std_kpi.menu_crm_process_diagnosis"),
        {
            trigger: `.o_list_view .o_data_row:contains('${DIAGNOSIS}') td.o_data_cell`,
            content: "open the diagnosis",
            run: "click",
        },
        {
            trigger: `${CHART} .o_crm_diagnosis_bar [role=img] > .rounded.start-0[style*=width]`,
            content: "the chart draws the value of a figure as a coloured bar",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
            content: "one bar per figure of the table",
            run() {
                const bars = document.querySelectorAll(`${CHART} .o_crm_diagnosis_bar`);
                const figures = document.querySelectorAll(
                    ".o_form_view .o_field_widget[name=line_ids] .o_data_row"
                );
                if (!bars.length || bars.length !== figures.length) {
                    throw new Error(
                        `${bars.length} bars in the chart for ${figures.length} figures`
                    );
                }
            },
        },
    ],
});
