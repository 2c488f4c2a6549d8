/*
 * The baseline for gpu-check.sh: C = A·B in f32 through cuBLAS directly, the way Colony's CuBlas
 * does it (host memory page-locked with cudaHostRegister, async copies and cublasSgemm on one
 * stream, timed with CUDA events), so the ratio measures Colony's binding and nothing else.
 *
 * Build: nvcc -O2 -o cublas_gemm cublas_gemm.c -lcublas
 *    or: gcc -O2 -I$CUDA_HOME/include -o cublas_gemm cublas_gemm.c -L$CUDA_HOME/lib64 -lcublas -lcudart
 * Run:   ./cublas_gemm N [N...]   prints one line per N: "c N wall_ms h2d_ms kernel_ms d2h_ms"
 */
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call) do { cudaError_t e = (call); if (e != cudaSuccess) { \
    fprintf(stderr, "%s: %s\n", #call, cudaGetErrorString(e)); exit(1); } } while (0)
#define CHECK_BLAS(call) do { cublasStatus_t s = (call); if (s != CUBLAS_STATUS_SUCCESS) { \
    fprintf(stderr, "%s: status %d\n", #call, (int) s); exit(1); } } while (0)

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    cublasHandle_t handle;
    cudaStream_t stream;
    CHECK(cudaSetDevice(0));
    CHECK(cudaStreamCreate(&stream));
    CHECK_BLAS(cublasCreate(&handle));
    CHECK_BLAS(cublasSetStream(handle, stream));
    for (int arg = 1; arg < argc; arg++) {
        int n = atoi(argv[arg]);
        size_t bytes = (size_t) n * n * sizeof(float);
        float *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes), *c = aligned_alloc(64, bytes);
        for (size_t i = 0; i < (size_t) n * n; i++) {
            a[i] = (float) ((i * 2654435761u) % 2000) / 1000.0f - 1.0f;
            b[i] = (float) ((i * 40503u) % 2000) / 1000.0f - 1.0f;
        }
        CHECK(cudaHostRegister(a, bytes, 0));
        CHECK(cudaHostRegister(b, bytes, 0));
        CHECK(cudaHostRegister(c, bytes, 0));
        float *da, *db, *dc;
        CHECK(cudaMalloc((void **) &da, bytes));
        CHECK(cudaMalloc((void **) &db, bytes));
        CHECK(cudaMalloc((void **) &dc, bytes));
        cudaEvent_t e[4];
        for (int i = 0; i < 4; i++) CHECK(cudaEventCreate(&e[i]));
        const float one = 1.0f, zero = 0.0f;
        int reps = n <= 2048 ? 30 : 10;
        double wall[64], h2d[64], kernel[64], d2h[64];
        for (int r = -3; r < reps; r++) { /* three warm-up calls */
            double t0 = now_ms();
            CHECK(cudaEventRecord(e[0], stream));
            CHECK(cudaMemcpyAsync(da, a, bytes, cudaMemcpyHostToDevice, stream));
            CHECK(cudaMemcpyAsync(db, b, bytes, cudaMemcpyHostToDevice, stream));
            CHECK(cudaEventRecord(e[1], stream));
            /* row-major C = A·B is column-major C^T = B^T·A^T: swap the operands, no transposes */
            CHECK_BLAS(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, db, n, da, n, &zero, dc, n));
            CHECK(cudaEventRecord(e[2], stream));
            CHECK(cudaMemcpyAsync(c, dc, bytes, cudaMemcpyDeviceToHost, stream));
            CHECK(cudaEventRecord(e[3], stream));
            CHECK(cudaStreamSynchronize(stream));
            if (r >= 0) {
                float ms;
                wall[r] = now_ms() - t0;
                CHECK(cudaEventElapsedTime(&ms, e[0], e[1])); h2d[r] = ms;
                CHECK(cudaEventElapsedTime(&ms, e[1], e[2])); kernel[r] = ms;
                CHECK(cudaEventElapsedTime(&ms, e[2], e[3])); d2h[r] = ms;
            }
        }
        qsort(wall, reps, sizeof(double), cmp);
        qsort(h2d, reps, sizeof(double), cmp);
        qsort(kernel, reps, sizeof(double), cmp);
        qsort(d2h, reps, sizeof(double), cmp);
        printf("c %d %.4f %.4f %.4f %.4f\n", n, wall[reps / 2], h2d[reps / 2], kernel[reps / 2], d2h[reps / 2]);
        fflush(stdout);
        for (int i = 0; i < 4; i++) cudaEventDestroy(e[i]);
        cudaFree(da); cudaFree(db); cudaFree(dc);
        cudaHostUnregister(a); cudaHostUnregister(b); cudaHostUnregister(c);
        free(a); free(b); free(c);
    }
    cublasDestroy(handle);
    cudaStreamDestroy(stream);
    return 0;
}
