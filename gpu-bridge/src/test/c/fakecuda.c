/*
 * A CPU stand-in for libcudart and libcublas, for testing Colony's FFM bindings where there is no
 * GPU. It implements, on host memory, the documented behaviour of the functions Colony calls:
 * column-major BLAS with op flags and leading dimensions (checked as cuBLAS checks them), device
 * allocations kept in a table (so a host pointer passed where a device pointer belongs, or the
 * wrong copy direction, is an error), host registration with cudaErrorHostMemoryAlreadyRegistered,
 * events that measure time. Built by FakeCudaTest with the machine's C compiler; the same file
 * serves as both libraries.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ALLOCS 4096
static struct { char *p; size_t n; } dev[MAX_ALLOCS], reg[MAX_ALLOCS];
static long long device_memory = 256LL << 20; /* what cudaMemGetInfo reports free and total */

static int find(void *table, const void *p, size_t n) {
    typeof(dev[0]) *t = table;
    for (int i = 0; i < MAX_ALLOCS; i++) {
        if (t[i].p && (const char *) p >= t[i].p && (const char *) p + n <= t[i].p + t[i].n) return i;
    }
    return -1;
}
static int is_device(const void *p, size_t n) { return find(dev, p, n) >= 0; }

int cudaGetDeviceCount(int *count) { *count = 1; return 0; }
int cudaSetDevice(int d) { return d == 0 ? 0 : 101; /* cudaErrorInvalidDevice */ }
int cudaRuntimeGetVersion(int *v) { *v = 12080; return 0; }
const char *cudaGetErrorString(int e) {
    switch (e) {
    case 0: return "no error";
    case 1: return "invalid argument";
    case 2: return "out of memory";
    case 712: return "part or all of the requested memory range is already mapped";
    case 713: return "pointer does not correspond to a registered memory region";
    default: return "unknown error";
    }
}
int cudaMalloc(void **p, size_t n) {
    long long used = 0;
    for (int i = 0; i < MAX_ALLOCS; i++) used += dev[i].n;
    if (used + (long long) n > device_memory) return 2;
    for (int i = 0; i < MAX_ALLOCS; i++) {
        if (!dev[i].p) { dev[i].p = malloc(n); dev[i].n = n; *p = dev[i].p; return dev[i].p ? 0 : 2; }
    }
    return 2;
}
int cudaFree(void *p) {
    for (int i = 0; i < MAX_ALLOCS; i++) {
        if (dev[i].p == p) { free(p); dev[i].p = 0; dev[i].n = 0; return 0; }
    }
    return 1;
}
int cudaMemGetInfo(size_t *free_, size_t *total) {
    long long used = 0;
    for (int i = 0; i < MAX_ALLOCS; i++) used += dev[i].n;
    *free_ = device_memory - used; *total = device_memory; return 0;
}
int cudaMemcpyAsync(void *to, const void *from, size_t n, int kind, void *stream) {
    (void) stream;
    if (kind == 1 && (!is_device(to, n) || is_device(from, n))) return 1; /* host to device */
    if (kind == 2 && (is_device(to, n) || !is_device(from, n))) return 1; /* device to host */
    memcpy(to, from, n);
    return 0;
}
int cudaHostRegister(void *p, size_t n, unsigned flags) {
    (void) flags;
    if (find(reg, p, 1) >= 0) return 712;
    for (int i = 0; i < MAX_ALLOCS; i++) {
        if (!reg[i].p) { reg[i].p = p; reg[i].n = n; return 0; }
    }
    return 2;
}
int cudaHostUnregister(void *p) {
    for (int i = 0; i < MAX_ALLOCS; i++) {
        if (reg[i].p == p) { reg[i].p = 0; reg[i].n = 0; return 0; }
    }
    return 713;
}
/* For the test: host ranges still registered, device bytes still allocated. */
int fake_registered(void) { int c = 0; for (int i = 0; i < MAX_ALLOCS; i++) c += reg[i].p != 0; return c; }
long long fake_device_bytes(void) { long long c = 0; for (int i = 0; i < MAX_ALLOCS; i++) c += dev[i].n; return c; }

int cudaStreamCreate(void **s) { *s = malloc(1); return 0; }
int cudaStreamSynchronize(void *s) { (void) s; return 0; }
int cudaStreamDestroy(void *s) { free(s); return 0; }
int cudaEventCreate(double **e) { *e = calloc(1, sizeof(double)); return 0; }
int cudaEventRecord(double *e, void *s) {
    (void) s;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    *e = t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    return 0;
}
int cudaEventSynchronize(double *e) { (void) e; return 0; }
int cudaEventElapsedTime(float *ms, double *a, double *b) { *ms = (float) (*b - *a); return 0; }
int cudaEventDestroy(double *e) { free(e); return 0; }

/* ---- cuBLAS: column-major, as documented ---- */
enum { OK = 0, INVALID = 7, NOT_SUPPORTED = 15 };
enum { R_32F = 0, R_64F = 1, R_16F = 2, R_16BF = 14 };

int cublasCreate_v2(void **h) { *h = malloc(1); return OK; }
int cublasDestroy_v2(void *h) { free(h); return OK; }
int cublasSetStream_v2(void *h, void *s) { (void) h; (void) s; return OK; }
int cublasSetMathMode(void *h, int m) { (void) h; (void) m; return OK; }

static float half_to_float(uint16_t h) {
    int e = (h >> 10) & 31, f = h & 1023;
    float v = e == 0 ? ldexpf((float) f, -24) : e == 31 ? (f ? NAN : INFINITY) : ldexpf((float) (f | 1024), e - 25);
    return (h & 0x8000) ? -v : v;
}
static double load(const void *p, int type, long i) {
    switch (type) {
    case R_32F: return ((const float *) p)[i];
    case R_64F: return ((const double *) p)[i];
    case R_16BF: { uint32_t b = (uint32_t) ((const uint16_t *) p)[i] << 16; float f; memcpy(&f, &b, 4); return f; }
    default: return half_to_float(((const uint16_t *) p)[i]);
    }
}
static size_t esize(int type) { return type == R_64F ? 8 : type == R_32F ? 4 : 2; }

/* C = alpha op(A) op(B) + beta C with the checks cuBLAS makes; C is f32 or f64 (ctype). */
static int gemm(int ta, int tb, int m, int n, int k, double alpha, const void *a, int atype, int lda, const void *b,
                int btype, int ldb, double beta, void *c, int ctype, int ldc) {
    if (m < 0 || n < 0 || k < 0 || ta > 1 || tb > 1) return INVALID;
    if (lda < (ta ? k : m) || lda < 1 || ldb < (tb ? n : k) || ldb < 1 || ldc < m || ldc < 1) return INVALID;
    if (!is_device(a, esize(atype)) || !is_device(b, esize(btype)) || !is_device(c, esize(ctype))) return INVALID;
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                s += load(a, atype, ta ? p + (long) i * lda : i + (long) p * lda)
                     * load(b, btype, tb ? j + (long) p * ldb : p + (long) j * ldb);
            }
            long ci = i + (long) j * ldc;
            double old = beta == 0 ? 0 : load(c, ctype, ci);
            if (ctype == R_64F) ((double *) c)[ci] = alpha * s + beta * old;
            else ((float *) c)[ci] = (float) (alpha * s + beta * old);
        }
    }
    return OK;
}
int cublasSgemm_v2(void *h, int ta, int tb, int m, int n, int k, const float *al, const float *a, int lda,
                   const float *b, int ldb, const float *be, float *c, int ldc) {
    (void) h;
    return gemm(ta, tb, m, n, k, *al, a, R_32F, lda, b, R_32F, ldb, *be, c, R_32F, ldc);
}
int cublasDgemm_v2(void *h, int ta, int tb, int m, int n, int k, const double *al, const double *a, int lda,
                   const double *b, int ldb, const double *be, double *c, int ldc) {
    (void) h;
    return gemm(ta, tb, m, n, k, *al, a, R_64F, lda, b, R_64F, ldb, *be, c, R_64F, ldc);
}
int cublasGemmEx(void *h, int ta, int tb, int m, int n, int k, const void *al, const void *a, int atype, int lda,
                 const void *b, int btype, int ldb, const void *be, void *c, int ctype, int ldc, int compute, int algo) {
    (void) h; (void) algo;
    if (compute != 68 && compute != 77) return NOT_SUPPORTED; /* CUBLAS_COMPUTE_32F, _32F_FAST_TF32 */
    if (ctype != R_32F || atype != btype) return NOT_SUPPORTED;
    return gemm(ta, tb, m, n, k, *(const float *) al, a, atype, lda, b, btype, ldb, *(const float *) be, c, ctype, ldc);
}
int cublasSgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const float *al, const float *a, int lda,
                              long long sa, const float *b, int ldb, long long sb, const float *be, float *c, int ldc,
                              long long sc, int batch) {
    (void) h;
    for (int i = 0; i < batch; i++) {
        int s = gemm(ta, tb, m, n, k, *al, a + i * sa, R_32F, lda, b + i * sb, R_32F, ldb, *be, c + i * sc, R_32F, ldc);
        if (s != OK) return s;
    }
    return OK;
}
static int gemv(int t, int m, int n, double alpha, const void *a, int type, int lda, const void *x, int incx,
                double beta, void *y, int incy) {
    if (lda < m || lda < 1 || incx == 0 || incy == 0) return INVALID;
    if (!is_device(a, esize(type)) || !is_device(x, esize(type)) || !is_device(y, esize(type))) return INVALID;
    int rows = t ? n : m, cols = t ? m : n;
    for (int i = 0; i < rows; i++) {
        double s = 0;
        for (int p = 0; p < cols; p++) {
            s += load(a, type, t ? p + (long) i * lda : i + (long) p * lda) * load(x, type, (long) p * incx);
        }
        long yi = (long) i * incy;
        double old = beta == 0 ? 0 : load(y, type, yi);
        if (type == R_64F) ((double *) y)[yi] = alpha * s + beta * old;
        else ((float *) y)[yi] = (float) (alpha * s + beta * old);
    }
    return OK;
}
int cublasSgemv_v2(void *h, int t, int m, int n, const float *al, const float *a, int lda, const float *x, int incx,
                   const float *be, float *y, int incy) {
    (void) h;
    return gemv(t, m, n, *al, a, R_32F, lda, x, incx, *be, y, incy);
}
int cublasDgemv_v2(void *h, int t, int m, int n, const double *al, const double *a, int lda, const double *x,
                   int incx, const double *be, double *y, int incy) {
    (void) h;
    return gemv(t, m, n, *al, a, R_64F, lda, x, incx, *be, y, incy);
}
