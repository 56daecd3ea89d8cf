// Why this exists: openat2(2) (Linux 5.6) can confine a path's resolution to a directory
// (RESOLVE_BENEATH), which closes the resolve-then-open race of `import --file-field`. glibc
// 2.36 has no wrapper for it and `syscall(2)` is variadic, which Swift cannot call: this is the
// one-line wrapper. It only makes the call; retries and errors are SystemCalls' business.
#include "CSupport.h"
#include <errno.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437   // the same number on x86_64 and arm64
#endif

int csupport_openat2_beneath(int directory, const char *path, int flags) {
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = (unsigned long long)(unsigned)flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, directory, path, &how, sizeof(how));
}
