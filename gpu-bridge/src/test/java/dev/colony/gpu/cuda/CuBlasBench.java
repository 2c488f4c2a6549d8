package dev.colony.gpu.cuda;

import dev.colony.gpu.BlasBackends;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Colony's half of gpu-check.sh: C = A·B in f32 through {@link CuBlas} on pinned off-heap
 * matrices, the same work as {@code scripts/cublas_gemm.c}, printing the same line per n:
 * {@code java N wall_ms h2d_ms kernel_ms d2h_ms} (medians). Not a unit test: run with
 * {@code java ... dev.colony.gpu.cuda.CuBlasBench 2048 4096}.
 */
public final class CuBlasBench {

    private CuBlasBench() {
    }

    /** Entry point: the sizes to multiply. */
    public static void main(String[] args) throws Exception {
        BlasBackends.Gpus gpus = BlasBackends.findGpus(System.getenv(), new java.util.ArrayList<>())
                .orElseThrow(() -> new IllegalStateException("no GPU: " + BlasBackends.detect().unavailable()));
        try (CuBlas blas = CuBlas.open(gpus.libraries(), 0)) {
            for (String arg : args) {
                int n = Integer.parseInt(arg);
                try (Arena arena = Arena.ofShared()) {
                    Matrix a = Matrix.allocate(arena, DType.F32, n, n);
                    Matrix b = Matrix.allocate(arena, DType.F32, n, n);
                    Matrix c = Matrix.allocate(arena, DType.F32, n, n);
                    a.fillRandom(new SplittableRandom(1));
                    b.fillRandom(new SplittableRandom(2));
                    try (var pa = blas.pin(a.segment()); var pb = blas.pin(b.segment()); var pc = blas.pin(c.segment())) {
                        int reps = n <= 2048 ? 30 : 10;
                        double[] wall = new double[reps], h2d = new double[reps], kernel = new double[reps],
                                d2h = new double[reps];
                        for (int r = -3; r < reps; r++) { // three warm-up calls
                            long t0 = System.nanoTime();
                            blas.gemm(1, a, b, 0, c);
                            if (r >= 0) {
                                wall[r] = (System.nanoTime() - t0) / 1e6;
                                GpuTiming t = blas.lastTiming();
                                h2d[r] = t.h2dMillis();
                                kernel[r] = t.kernelMillis();
                                d2h[r] = t.d2hMillis();
                            }
                        }
                        System.out.printf("java %d %.4f %.4f %.4f %.4f%n", n, median(wall), median(h2d), median(kernel),
                                median(d2h));
                    }
                }
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
