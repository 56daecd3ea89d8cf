// Runs every C test of CSupport and prints "N passed, M failed"; exits non-zero on any failure.
#include "check.h"

long check_passed = 0, check_failed = 0;

int main(void) {
    test_crc32c();
    test_record_scan();
    printf("%ld passed, %ld failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}
