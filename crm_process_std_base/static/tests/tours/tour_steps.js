/** Steps shared by the tours of the process standards (not a tour itself).
 *
 * One tour per use case, each in its own file of <addon>/static/tests/tours/, started by
 * one test class of test_crm_process_std/tests/test_browser_tour.py that makes the records it uses. */

/** Open ``item`` of the CRM navbar menu ``section`` ("Customer Process" > "My Handoffs"). */
export function openMenu(section, item) {
    return [
        {
            trigger: `.o_main_navbar .dropdown-toggle:contains('${section}')`,
            content: `open the ${section} menu`,
            run: "click",
        },
        {
            trigger: `.dropdown-menu .dropdown-item:contains('${item}')`,
            content: `open ${item}`,
            run: "click",
        },
    ];
}

/** A dialog is open and its title says what it is for (an action without a name shows
 * the web client's default title, "Odoo"). */
export function dialogTitled() {
    return {
        trigger: ".modal:has(.o_form_view) .modal-title:not(:contains('Odoo'))",
        content: "the dialog is titled after what it does",
    };
}

/** The dialog closed without an error. */
export function dialogClosed() {
    return {
        trigger: "body:not(:has(.modal)):not(:has(.o_error_dialog))",
        content: "the dialog closed, no error",
    };
}

/** Open the navbar menu item of external id ``item`` from the section ``section``
 * ("crm.crm_menu_sales", "crm.res_partner_menu_customer"): the same in every language. */
export function openMenuXmlid(section, item) {
    return [
        {
            trigger: `.o_main_navbar [data-menu-xmlid='${section}']`,
            content: `open the ${section} menu`,
            run: "click",
        },
        {
            trigger: `.dropdown-menu .dropdown-item[data-menu-xmlid='${item}']`,
            content: `open ${item}`,
            run: "click",
        },
    ];
}
