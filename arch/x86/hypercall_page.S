/*
 * The hypercall page: Xen writes one 32-byte stub per hypercall here; for a PV
 * guest, while it loads the image (XEN_ELFNOTE_HYPERCALL_PAGE,
 * arch/x86/pv/elfnotes.S). Until then it holds int3, so a call through an unfilled
 * page traps.
 */
    .section .text.hypercall_page, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc
    .size hypercall_page, 4096
