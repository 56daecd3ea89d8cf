// Inflate/deflate ceilings of this machine: zlib, libdeflate, ISA-L (igzip) and LZ4 on one file,
// one thread, no TFRecord work. Times are CPU seconds of this thread (robust to other load).
// Build: cc -O2 -o /tmp/ceilings Benchmarks/compare/ceilings.c -lz -ldeflate -lisal -llz4
// Usage: /tmp/ceilings PLAIN_FILE   (compresses it at level 6 / ISA-L level 1 and inflates back)
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <lz4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    FILE *f = fopen(argv[1], "rb");
    fseek(f, 0, SEEK_END);
    size_t n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *in = malloc(n), *out = malloc(n + n / 10 + 1024), *back = malloc(n);
    if (fread(in, 1, n, f) != n) return 1;
    fclose(f);
    size_t chunk = 256 << 10;

    // zlib deflate, level 6 (TF's default), gzip wrapper, memLevel 9, 256 KiB pieces.
    double t = cpu();
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
    z.next_out = out; z.avail_out = n + n / 10 + 1024;
    for (size_t i = 0; i < n; i += chunk) {
        z.next_in = in + i; z.avail_in = (i + chunk < n) ? chunk : n - i;
        deflate(&z, i + chunk < n ? Z_NO_FLUSH : Z_FINISH);
    }
    size_t zsize = z.total_out;
    deflateEnd(&z);
    double zd = cpu() - t;
    printf("deflate zlib -6\t%.1f MB/s\t%zu bytes\n", n / zd / 1e6, zsize);

    t = cpu();
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    size_t ld = 0;
    for (size_t i = 0; i < n; i += 1 << 20) {  // 1 MiB members, as blocked GZIP writes them
        size_t len = (i + (1 << 20) < n) ? 1 << 20 : n - i;
        ld += libdeflate_gzip_compress(c, in + i, len, out + ld, n + n / 10 + 1024 - ld);
    }
    double ldt = cpu() - t;
    printf("deflate libdeflate -6 (1 MiB members)\t%.1f MB/s\t%zu bytes\n", n / ldt / 1e6, ld);

    unsigned char *isal_out = malloc(n + n / 10 + 1024);
    t = cpu();
    struct isal_zstream s;
    isal_deflate_init(&s);
    s.gzip_flag = IGZIP_GZIP;
    s.level = 1;
    s.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    s.level_buf = malloc(s.level_buf_size);
    s.end_of_stream = 1;
    s.flush = NO_FLUSH;
    s.next_in = in; s.avail_in = n;
    s.next_out = isal_out; s.avail_out = n + n / 10 + 1024;
    isal_deflate(&s);
    double it = cpu() - t;
    printf("deflate ISA-L level 1\t%.1f MB/s\t%u bytes\n", n / it / 1e6, s.total_out);

    // Inflate zlib's stream three ways.
    // Recompress the zlib stream into place for the others (libdeflate and ISA-L overwrote `out`).
    z_stream z2 = {0};
    deflateInit2(&z2, 6, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
    z2.next_in = in; z2.avail_in = n; z2.next_out = out; z2.avail_out = n + n / 10 + 1024;
    deflate(&z2, Z_FINISH);
    deflateEnd(&z2);

    t = cpu();
    z_stream zi = {0};
    inflateInit2(&zi, 31);
    zi.next_in = out; zi.avail_in = zsize;
    size_t done = 0;
    while (1) {
        zi.next_out = back; zi.avail_out = chunk;
        int r = inflate(&zi, Z_NO_FLUSH);
        done += chunk - zi.avail_out;
        if (r != Z_OK) break;
    }
    inflateEnd(&zi);
    double zi_t = cpu() - t;
    printf("inflate zlib (256 KiB output)\t%.1f MB/s out\t%zu bytes\n", done / zi_t / 1e6, done);

    t = cpu();
    struct inflate_state st;
    isal_inflate_init(&st);
    st.crc_flag = ISAL_GZIP;
    st.next_in = out; st.avail_in = zsize;
    done = 0;
    while (1) {
        st.next_out = back; st.avail_out = chunk;
        int r = isal_inflate(&st);
        done += chunk - st.avail_out;
        if (r != ISAL_DECOMP_OK || st.block_state == ISAL_BLOCK_FINISH) break;
    }
    double is_t = cpu() - t;
    printf("inflate ISA-L (256 KiB output)\t%.1f MB/s out\t%zu bytes\n", done / is_t / 1e6, done);

    t = cpu();
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t got = 0;
    libdeflate_gzip_decompress(d, out, zsize, back, n, &got);
    double ld_t = cpu() - t;
    printf("inflate libdeflate (whole buffer)\t%.1f MB/s out\t%zu bytes\n", got / ld_t / 1e6, got);

    // LZ4 (our extension): blocks of 1 MiB, as blocked LZ4 frames hold them.
    size_t block = 1 << 20, lz = 0, bound = LZ4_compressBound((int)block);
    unsigned char *lz_out = malloc((n / block + 1) * bound);
    size_t *sizes = malloc((n / block + 1) * sizeof *sizes);
    t = cpu();
    for (size_t i = 0, b = 0; i < n; i += block, b++) {
        int len = (int)((i + block < n) ? block : n - i);
        sizes[b] = (size_t)LZ4_compress_default((const char *)in + i, (char *)lz_out + lz, len, (int)bound);
        lz += sizes[b];
    }
    double lz_c = cpu() - t;
    printf("compress LZ4 default (1 MiB blocks)\t%.1f MB/s\t%zu bytes\n", n / lz_c / 1e6, lz);
    t = cpu();
    size_t at = 0;
    got = 0;
    for (size_t i = 0, b = 0; i < n; i += block, b++) {
        int len = (int)((i + block < n) ? block : n - i);
        got += (size_t)LZ4_decompress_safe((const char *)lz_out + at, (char *)back + i, (int)sizes[b], len);
        at += sizes[b];
    }
    double lz_d = cpu() - t;
    printf("decompress LZ4 (1 MiB blocks)\t%.1f MB/s out\t%zu bytes\n", got / lz_d / 1e6, got);
    return memcmp(in, back, n) == 0 ? 0 : 1;
}
