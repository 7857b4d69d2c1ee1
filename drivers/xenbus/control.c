/*
 * Shutdown requests from the toolstack. `xl shutdown` and `xl reboot` write the
 * wanted action into our home's control/shutdown (docs/misc/xenstore-paths.pandoc)
 * and wait for the guest to acknowledge it by clearing the node; the guest then
 * shuts itself down with that reason. One thread watches the node for the
 * domain's whole life, or until the xenstore connection breaks.
 */
#include "lib/errno.h"
#include "lib/escape.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "kernel/initcall.h"
#include "kernel/shutdown.h"
#include "kernel/thread.h"
#include "drivers/xenbus/control.h"
#include "drivers/xenbus/xenstore.h"

#define CONTROL_NODE "control/shutdown"

static struct xs_watch control_watch;
static struct list_node shutdown_hooks = LIST_HEAD_INIT(shutdown_hooks);

void control_on_shutdown(struct control_hook *h)
{
    list_add_tail(&shutdown_hooks, &h->link);
}

/* Act on the node's value: empty (nothing asked, or our own acknowledgement) or a request. */
static void handle_request(const char *request)
{
    void (*action)(void);
    struct list_node *n;

    if (strcmp(request, "poweroff") == 0 || strcmp(request, "halt") == 0) {
        action = kernel_poweroff;
    } else if (strcmp(request, "reboot") == 0) {
        action = kernel_reboot;
    } else {
        char shown[ESCAPE_TEXT_SIZE(32)]; /* the value is the toolstack's: print it escaped */

        if (request[0] != '\0')
            printk("control: '%s' requested; not supported, ignored\n",
                   escape_text(shown, sizeof(shown), request, strlen(request)));
        return;
    }
    /* Acknowledge first: the toolstack waits for the node to be cleared. */
    xenstore_write(XS_NO_TRANSACTION, CONTROL_NODE, "");
    printk("control: the toolstack asks for %s\n", request);
    list_for_each(n, &shutdown_hooks) list_entry(n, struct control_hook, link)->fn();
    action();
}

static void control_thread(void *arg)
{
    char request[32];
    int rc;

    (void)arg;
    /* Set here, not in control_start: the round trip need not delay app_main. */
    rc = xenstore_watch(&control_watch, CONTROL_NODE);
    while (rc == 0 && (rc = xenstore_watch_wait(&control_watch, 0)) == 0) {
        int read_rc = xenstore_read_buf(XS_NO_TRANSACTION, CONTROL_NODE, request, sizeof(request));

        if (read_rc == 0)
            handle_request(request);
        else if (read_rc != -ENOENT)
            printk("control: reading %s failed: %s\n", CONTROL_NODE, errno_name(read_rc));
    }
    printk("control: no more requests from the toolstack: %s\n", errno_name(rc));
}

static int control_start(void)
{
    struct thread *thread;

    if (!xenstore_connected())
        return 0; /* no toolstack to ask us anything; xenstore said why */
    thread = thread_create("control", control_thread, NULL);
    if (!thread)
        return -ENOMEM;
    /* It ends only when the connection breaks, and nobody waits for that: free it then. */
    thread_detach(thread);
    return 0;
}
KERNEL_INIT(2, control_start);
