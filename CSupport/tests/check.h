// Minimal check macros shared by the C test programs: every CHECK counts one pass or one failure;
// failures print file:line and the message, and the run continues.
#ifndef CSUPPORT_TESTS_CHECK_H
#define CSUPPORT_TESTS_CHECK_H
#include <stdio.h>

extern long check_passed, check_failed;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (cond) {                                                   \
            check_passed++;                                           \
        } else {                                                      \
            if (check_failed++ < 50) {                                \
                fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
                fprintf(stderr, __VA_ARGS__);                         \
                fputc('\n', stderr);                                  \
            }                                                         \
        }                                                             \
    } while (0)

void test_crc32c(void);
void test_record_scan(void);

#endif
