// Why this exists: the CLI reads files through memory maps (a third faster than read(2),
// measured with `tfrecord bench --pread`), and a map of a file that another process truncates
// faults with SIGBUS on the lost pages. The CLI's contract is an exit code, never a signal: this
// handler turns SIGBUS into a one-line diagnostic and exit status 3 (I/O error). It only calls
// async-signal-safe functions (write, _exit).
#include "CSupport.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

static char bus_message[512];
static size_t bus_message_length;
static int bus_exit_status = 3;

static void on_bus_error(int signo, siginfo_t *info, void *context) {
    (void)signo; (void)info; (void)context;
    ssize_t ignored = write(STDERR_FILENO, bus_message, bus_message_length);
    (void)ignored;
    _exit(bus_exit_status);
}

int csupport_exit_on_bus_error(const char *message, int status) {
    size_t n = strlen(message);
    if (n > sizeof(bus_message) - 1) n = sizeof(bus_message) - 1;
    memcpy(bus_message, message, n);
    bus_message_length = n;
    bus_exit_status = status;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGBUS, &action, NULL);
}
