// Test vectors for SpectralGate's GGUF dequantizer, computed by ggml's own reference code.
// Built by make_vectors.sh against a ggml checkout (ggml-quants.c is compiled in, not copied here).
// For each type: <type>.blocks holds random blocks (every bit random, the fp16 scale fields set to finite
// values), <type>.f32 the little-endian floats ggml's dequantize_row_* makes of them.
// quantize_q4_0.* / quantize_q8_0.*: floats in, the bytes quantize_row_*_ref makes of them out.
#define GGML_COMMON_DECL_C
#include "ggml-common.h"
#include "ggml-quants.h"
#include "ggml-impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ggml-quants.c refers to these for code paths the vectors never take.
void ggml_abort(const char * file, int line, const char * fmt, ...) { (void)fmt; fprintf(stderr, "abort %s:%d\n", file, line); exit(1); }
size_t ggml_row_size(enum ggml_type t, int64_t ne) { (void)t; (void)ne; abort(); }
const char * ggml_type_name(enum ggml_type t) { (void)t; abort(); }
size_t ggml_type_size(enum ggml_type t) { (void)t; abort(); }

static uint32_t state = 20261201u;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }
static float uniform(float lo, float hi) { return lo + (hi - lo) * (float)(next() >> 8) / 16777216.0f; }
static ggml_fp16_t random_half(void) { return GGML_FP32_TO_FP16(uniform(-2.0f, 2.0f)); }

static void save(const char * name, const char * ext, const void * data, size_t size) {
    char path[128];
    snprintf(path, sizeof path, "%s.%s", name, ext);
    FILE * f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size) { perror(path); exit(1); }
    fclose(f);
}

typedef void (*dequantize_fn)(const void *, float *, int64_t);

// halves: byte offsets of the ggml_half fields in a block, set to finite values so no NaN hides a wrong bit.
static void vectors(const char * name, size_t block_bytes, int block_elems, int blocks, dequantize_fn fn, const int * halves, int n_halves) {
    size_t bytes = block_bytes * blocks;
    int elems = block_elems * blocks;
    uint8_t * x = malloc(bytes);
    float * y = malloc(sizeof(float) * elems);
    for (size_t i = 0; i < bytes; i++) x[i] = (uint8_t)next();
    for (int b = 0; b < blocks; b++)
        for (int h = 0; h < n_halves; h++) {
            ggml_fp16_t v = random_half();
            memcpy(x + b * block_bytes + halves[h], &v, 2);
        }
    fn(x, y, elems);
    save(name, "blocks", x, bytes);
    save(name, "f32", y, sizeof(float) * elems);
    free(x); free(y);
}

static void f16_row(const void * x, float * y, int64_t k) { const ggml_fp16_t * h = x; for (int64_t i = 0; i < k; i++) y[i] = GGML_FP16_TO_FP32(h[i]); }
static void bf16_row(const void * x, float * y, int64_t k) { const ggml_bf16_t * h = x; for (int64_t i = 0; i < k; i++) y[i] = GGML_BF16_TO_FP32(h[i]); }

int main(void) {
    static const int d0[] = {0}, d0m2[] = {0, 2}, q2k[] = {80, 82}, q3k[] = {108}, q6k[] = {208};
    vectors("q4_0", sizeof(block_q4_0), QK4_0, 8, (dequantize_fn)dequantize_row_q4_0, d0, 1);
    vectors("q4_1", sizeof(block_q4_1), QK4_1, 8, (dequantize_fn)dequantize_row_q4_1, d0m2, 2);
    vectors("q5_0", sizeof(block_q5_0), QK5_0, 8, (dequantize_fn)dequantize_row_q5_0, d0, 1);
    vectors("q5_1", sizeof(block_q5_1), QK5_1, 8, (dequantize_fn)dequantize_row_q5_1, d0m2, 2);
    vectors("q8_0", sizeof(block_q8_0), QK8_0, 8, (dequantize_fn)dequantize_row_q8_0, d0, 1);
    vectors("q2_k", sizeof(block_q2_K), QK_K, 3, (dequantize_fn)dequantize_row_q2_K, q2k, 2);
    vectors("q3_k", sizeof(block_q3_K), QK_K, 3, (dequantize_fn)dequantize_row_q3_K, q3k, 1);
    vectors("q4_k", sizeof(block_q4_K), QK_K, 3, (dequantize_fn)dequantize_row_q4_K, d0m2, 2);
    vectors("q5_k", sizeof(block_q5_K), QK_K, 3, (dequantize_fn)dequantize_row_q5_K, d0m2, 2);
    vectors("q6_k", sizeof(block_q6_K), QK_K, 3, (dequantize_fn)dequantize_row_q6_K, q6k, 1);
    // Every half bit pattern but NaNs would be 64 K values; 256 random ones plus the random bytes cover subnormals and infinities.
    vectors("f16", 2, 1, 256, (dequantize_fn)f16_row, NULL, 0);
    vectors("bf16", 2, 1, 256, (dequantize_fn)bf16_row, NULL, 0);

    // Reference quantizers (what the docs' Q4_0/Q8_0 example files are made with, re-implemented in the tests).
    enum { n = 256 };
    float x[n];
    for (int i = 0; i < n; i++) x[i] = uniform(-1.0f, 1.0f) * (i % 32 == 5 ? 3.0f : 1.0f);
    block_q4_0 q4[n / QK4_0];
    block_q8_0 q8[n / QK8_0];
    quantize_row_q4_0_ref(x, q4, n);
    quantize_row_q8_0_ref(x, q8, n);
    save("quantize", "f32", x, sizeof x);
    save("quantize_q4_0", "blocks", q4, sizeof q4);
    save("quantize_q8_0", "blocks", q8, sizeof q8);
    return 0;
}
