/*
 * The Xen ELF notes: how this image tells Xen's PV loader what it is and how to
 * start it (xen/elfnote.h): in long mode at _start (arch/x86/pv/boot.S). Each note
 * is a standard ELF note named "Xen".
 */
#include <xen/elfnote.h>

#define ELFNOTE(type, desc)                             \
    .pushsection .note.Xen, "a", @note;                 \
    .balign 4;                                          \
    .long 2f - 1f;      /* name size */                 \
    .long 4f - 3f;      /* descriptor size */           \
    .long type;                                         \
1:  .asciz "Xen";                                       \
2:  .balign 4;                                          \
3:  desc;                                               \
4:  .balign 4;                                          \
    .popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "Mini-OS")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1")
/* The PV ABI revision the kernel speaks: "xen-3.0" for every 64-bit PV guest. */
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
/* Virtual addresses equal pseudo-physical ones: base 0, no offset. */
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
ELFNOTE(XEN_ELFNOTE_ENTRY, .quad _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
/*
 * Features the kernel supports; none is required ('!' prefix), so any 64-bit PV
 * Xen will do. "dom0": the kernel can be started as the initial domain.
 */
ELFNOTE(XEN_ELFNOTE_FEATURES, .asciz "dom0")
