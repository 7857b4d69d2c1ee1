/*
 * lwIP's start: tcpip_init makes the tcpip thread, which initialises every module
 * (lwip_init, the loopback interface among them) and then calls back. The first
 * caller starts it; every caller waits for that callback.
 */
#include "net/stack.h"

#include <stdbool.h>

#include "kernel/wait.h"
#include "lwip/tcpip.h"

static bool started, ready;
static struct wait_queue ready_wq = WAIT_QUEUE_INIT(ready_wq);

/* In the tcpip thread, once everything is initialised. */
static void stack_ready(void *arg)
{
    (void)arg;
    ready = true;
    wait_queue_wake_all(&ready_wq);
}

void net_stack_start(void)
{
    if (!started) {
        started = true;
        tcpip_init(stack_ready, NULL);
    }
    wait_event(&ready_wq, ready);
}
