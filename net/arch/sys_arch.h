/*
 * lwIP's operating-system types (lwip/sys.h includes "arch/sys_arch.h"), over the
 * kernel's own: semaphores (kernel/semaphore.h), mutexes (kernel/mutex.h), threads
 * (kernel/thread.h). net/arch/sys_arch.c implements lwIP's sys_* calls on them.
 *
 * The kernel is cooperative on one vCPU: a thread runs until it blocks, so lwIP's
 * short critical sections (SYS_ARCH_PROTECT) need only keep event handlers out.
 */
#ifndef NET_ARCH_SYS_ARCH_H
#define NET_ARCH_SYS_ARCH_H

#include <stdbool.h>

#include "kernel/mutex.h"
#include "kernel/semaphore.h"

struct thread;

typedef struct {
    struct semaphore sem;
    bool valid;
} sys_sem_t;

typedef struct {
    struct mutex mutex;
    bool valid;
} sys_mutex_t;

/*
 * A bounded queue of messages: posting waits for room, so a flood of frames cannot
 * take all memory; the tcpip thread's input posts with trypost and drops instead.
 */
typedef struct {
    void **slots;
    unsigned int size, head, count;
    struct semaphore items, spaces;
} sys_mbox_t;

typedef struct thread *sys_thread_t;

/* The events-masked state SYS_ARCH_PROTECT saves (xen/events.h:events_disable). */
typedef unsigned int sys_prot_t;

#define sys_sem_valid(s)         ((s)->valid)
#define sys_sem_set_invalid(s)   ((s)->valid = false)
#define sys_mutex_valid(m)       ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = false)
#define sys_mbox_valid(mb)       ((mb)->slots != NULL)
#define sys_mbox_set_invalid(mb) ((mb)->slots = NULL)

#endif
