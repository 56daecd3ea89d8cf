// zlib shims: `deflateInit2` and `inflateInit2` are macros (they pass ZLIB_VERSION and
// sizeof(z_stream) to the real `*_` functions), which Swift cannot call. These functions are
// the only reason this file exists.
#include "CSupport.h"

int csupport_deflate_init2(z_stream *stream, int level, int window_bits, int mem_level, int strategy) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, mem_level, strategy);
}

int csupport_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

const char *csupport_lz4f_error_name(size_t code) {
    return LZ4F_getErrorName(code);
}

unsigned csupport_lz4f_is_error(size_t code) {
    return LZ4F_isError(code);
}
