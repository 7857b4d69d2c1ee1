/*
 * sigmask: run a command with a known signal mask. The rig's scenario shell starts
 * its programs through it, because bash 5.2 can leave its own mask set to garbage (a
 * `read -t` whose time is up before it first reads restores an uninitialized mask),
 * and a coprocess inherits it through fork and exec: xenstore-watch then ignored the
 * SIGTERM meant to stop it (SigBlk 000055ec24106ef0 in /proc/PID/status), and the
 * scenario waited for it until the watchdog.
 *
 *   sigmask [-b SIG[,SIG...]] COMMAND [ARG...]
 *
 * Runs COMMAND with exactly the signals named by -b blocked (numbers, or names
 * without "SIG": TERM, CHLD, ...), none without -b. -b lets a test recreate what the
 * shell did. Exits 127 with a message if COMMAND cannot be run, 2 on a bad option.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int number;
} signal_names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"USR1", SIGUSR1},
    {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"TSTP", SIGTSTP},
};

static int signal_number(const char *word)
{
    char *end;
    long n = strtol(word, &end, 10);

    if (*word && !*end)
        return n > 0 && n < NSIG ? (int)n : -1;
    for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
        if (!strcmp(word, signal_names[i].name))
            return signal_names[i].number;
    return -1;
}

/* Adds each signal of the comma-separated LIST to SET; returns -1 on a bad name. */
static int add_signals(sigset_t *set, char *list)
{
    for (char *word = strtok(list, ","); word; word = strtok(NULL, ",")) {
        int sig = signal_number(word);

        if (sig < 0 || sigaddset(set, sig) < 0) {
            fprintf(stderr, "sigmask: unknown signal '%s'\n", word);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    sigset_t mask;
    int first = 1;

    sigemptyset(&mask);
    if (argc > 2 && !strcmp(argv[1], "-b")) {
        if (add_signals(&mask, argv[2]) < 0)
            return 2;
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: sigmask [-b SIG[,SIG...]] COMMAND [ARG...]\n");
        return 2;
    }
    if (sigprocmask(SIG_SETMASK, &mask, NULL) < 0) {
        fprintf(stderr, "sigmask: sigprocmask: %s\n", strerror(errno));
        return 127;
    }
    execvp(argv[first], &argv[first]);
    fprintf(stderr, "sigmask: cannot run %s: %s\n", argv[first], strerror(errno));
    return 127;
}
