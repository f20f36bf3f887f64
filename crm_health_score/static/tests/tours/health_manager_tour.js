/** A sales manager opens the customer health kanban and the process KPI pivot
 * (test_crm_process_std/tests/test_browser_tour.py, TestManagerTour). */
import { registry } from "@web/core/registry";
import { openMenu } from "@crm_process_std_base/../tests/tours/tour_steps";

registry.category("web_tour.tours").add("crm_health_score_manager_tour", {
    steps: () => [
        // The customer health kanban, grouped by risk.
        ...openMenu("Customer Health", "Health Scores"),
        {
            trigger: ".o_kanban_view .o_kanban_group .o_column_title:contains('High')",
            content: "the kanban shows the high risk column",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group .o_column_title:contains('Medium')",
            content: "the medium risk column",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group .o_column_title:contains('Low')",
            content: "and the low risk column",
        },
        {
            trigger:
                ".o_kanban_view .o_kanban_group:last-child .o_column_title:contains('Insufficient Data')",
            content: "the customers without enough data come last, in a titled column",
        },
        // Then the process KPI pivot under CRM > Reporting.
        ...openMenu("Reporting", "KPI History"),
        {
            trigger: ".o_pivot_view .o_pivot table .o_pivot_header_cell_opened",
            content: "the KPI pivot is shown",
        },
        {
            trigger: ".o_pivot_view .o_pivot table .o_pivot_header_cell_closed:contains('Information Completeness Rate')",
            content: "with a row per KPI",
        },
        {
            trigger: ".o_pivot_view .o_pivot table .o_pivot_header_cell_closed:contains('January 2020')",
            content: "and a column per month",
        },
    ],
});
