/* Peer for `@`: times OpenBLAS cblas_sgemm on two n x n f32 matrices (C = A B, row-major).
 * Usage: sgemm N   -> prints the median seconds of 5 calls, after one untimed warm-up.
 *        sgemm --version -> prints OpenBLAS's configuration string. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 5

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Uniform floats in [-1, 1) from a fixed-seed xorshift, so runs are repeatable. */
static void fill(float *x, size_t count, unsigned long long seed) {
    for (size_t i = 0; i < count; i++) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        x[i] = (float)((double)(seed >> 11) / 9007199254740992.0 * 2.0 - 1.0);
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", openblas_get_config());
        return 0;
    }
    int n = argc == 2 ? atoi(argv[1]) : 0;
    if (n <= 0) {
        fprintf(stderr, "usage: %s N | --version\n", argv[0]);
        return 2;
    }
    size_t count = (size_t)n * (size_t)n;
    float *a = malloc(count * sizeof *a), *b = malloc(count * sizeof *b), *c = malloc(count * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "sgemm: out of memory for n = %d\n", n);
        return 1;
    }
    fill(a, count, 0x9E3779B97F4A7C15ULL);
    fill(b, count, 0xD1B54A32D192ED03ULL);
    memset(c, 0, count * sizeof *c);

    double times[REPS];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        times[r] = now() - t0;
    }
    qsort(times, REPS, sizeof times[0], compare);
    printf("%.9g\n", times[REPS / 2]);
    /* Use the result so the calls cannot be dropped. */
    if (c[0] != c[0]) fprintf(stderr, "sgemm: NaN in the result\n");
    free(a); free(b); free(c);
    return 0;
}
