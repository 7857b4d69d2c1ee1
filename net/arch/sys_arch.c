/*
 * lwIP's operating-system layer (lwip/sys.h) over the kernel's threads, semaphores,
 * mutexes and clock. Timeouts are in milliseconds for lwIP, deadlines in system
 * nanoseconds for the kernel.
 */
#include "lwip/sys.h"

#include "arch/cpu.h"
#include "arch/page.h"
#include "kernel/thread.h"
#include "mm/heap.h"
#include "xen/events.h"
#include "xen/time.h"

/* The system-time deadline timeout_ms from now; 0 (wait forever) stays 0. */
static uint64_t deadline_after_ms(u32_t timeout_ms)
{
    return timeout_ms == 0 ? 0 : xen_system_time_ns() + timeout_ms * NSEC_PER_MSEC;
}

/* Milliseconds since start_ns, as lwIP's timed waits report them. */
static u32_t ms_since(uint64_t start_ns)
{
    return (u32_t)((xen_system_time_ns() - start_ns) / NSEC_PER_MSEC);
}

void sys_init(void)
{
}

u32_t sys_now(void)
{
    return net_core_now_ms();
}

/*
 * xorshift64, seeded from the TSC at first use: lwIP wants numbers an outsider
 * cannot guess easily (initial sequence numbers, ephemeral ports), not a secret.
 */
uint32_t sys_random(void)
{
    static uint64_t state;
    if (state == 0)
        state = rdtsc() | 1;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 32);
}

sys_prot_t sys_arch_protect(void)
{
    return events_disable();
}

void sys_arch_unprotect(sys_prot_t prev)
{
    events_restore(prev);
}

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    semaphore_init(&sem->sem, count);
    sem->valid = true;
    return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
    sem->valid = false;
}

void sys_sem_signal(sys_sem_t *sem)
{
    semaphore_up(&sem->sem);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout_ms)
{
    uint64_t start = xen_system_time_ns();
    if (timeout_ms == 0)
        semaphore_down(&sem->sem);
    else if (!semaphore_down_until(&sem->sem, deadline_after_ms(timeout_ms)))
        return SYS_ARCH_TIMEOUT;
    return ms_since(start);
}

err_t sys_mutex_new(sys_mutex_t *mutex)
{
    mutex_init(&mutex->mutex);
    mutex->valid = true;
    return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *mutex)
{
    mutex->valid = false;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
    mutex_lock(&mutex->mutex);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
    mutex_unlock(&mutex->mutex);
}

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
    if (size <= 0)
        return ERR_ARG;
    mbox->slots = xmalloc((size_t)size * sizeof(void *), 0);
    if (mbox->slots == NULL)
        return ERR_MEM;
    mbox->size = (unsigned int)size;
    mbox->head = 0;
    mbox->count = 0;
    semaphore_init(&mbox->items, 0);
    semaphore_init(&mbox->spaces, (unsigned long)size);
    return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
    xfree(mbox->slots);
    mbox->slots = NULL;
}

/* Called once a space is taken: nothing runs between the take and the store. */
static void mbox_put(sys_mbox_t *mbox, void *msg)
{
    mbox->slots[(mbox->head + mbox->count) % mbox->size] = msg;
    mbox->count++;
    semaphore_up(&mbox->items);
}

static void *mbox_take(sys_mbox_t *mbox)
{
    void *msg = mbox->slots[mbox->head];
    mbox->head = (mbox->head + 1) % mbox->size;
    mbox->count--;
    semaphore_up(&mbox->spaces);
    return msg;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
    semaphore_down(&mbox->spaces);
    mbox_put(mbox, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
    if (!semaphore_try_down(&mbox->spaces))
        return ERR_MEM;
    mbox_put(mbox, msg);
    return ERR_OK;
}

/* Posts come from threads only (the network frontend's callbacks run in its thread). */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
    return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout_ms)
{
    uint64_t start = xen_system_time_ns();
    if (timeout_ms == 0)
        semaphore_down(&mbox->items);
    else if (!semaphore_down_until(&mbox->items, deadline_after_ms(timeout_ms)))
        return SYS_ARCH_TIMEOUT;
    void *m = mbox_take(mbox);
    if (msg != NULL)
        *msg = m;
    return ms_since(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
    if (!semaphore_try_down(&mbox->items))
        return SYS_MBOX_EMPTY;
    void *m = mbox_take(mbox);
    if (msg != NULL)
        *msg = m;
    return 0;
}

/* lwIP's threads run until the stack is torn down, which it never is: none is joined. */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
    (void)prio; /* the scheduler has no priorities: threads take turns */
    size_t pages =
        stacksize > 0 ? ((size_t)stacksize + PAGE_SIZE - 1) / PAGE_SIZE : THREAD_STACK_PAGES;
    struct thread *t = thread_create_with_stack(name, fn, arg, pages);
    LWIP_ASSERT("sys_thread_new: out of memory", t != NULL);
    thread_detach(t);
    return t;
}

/*
 * The socket calls' error number (LWIP_PROVIDE_ERRNO). One for all threads: a call
 * sets it just before it returns, and nothing preempts the caller before it reads it.
 */
int errno;
