/*
 * The hypercall page: Xen writes one 32-byte stub per hypercall here; for a PV
 * guest, while it loads the image (XEN_ELFNOTE_HYPERCALL_PAGE,
 * arch/x86/pv/elfnotes.S). Xen fills the rest of the page with int3, so a call to a
 * hypercall it has no stub for traps. The image holds only zeroes here, which take no
 * room in the file; kernel.lds places the page on a page boundary.
 */
    .section .hypercall_page, "ax", @nobits
    .globl hypercall_page
hypercall_page:
    .skip 4096
    .size hypercall_page, 4096
