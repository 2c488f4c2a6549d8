package dev.colony.gpu.java;

import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The f32 GEMM of {@link JavaBlas} on the Vector API, after the GotoBLAS/BLIS design: B is packed
 * in {@code KC x NC} panels of {@code NR}-wide strips, A (times alpha) in {@code MC x KC} panels of
 * {@code MR}-tall strips, both off-heap, and a register-blocked kernel multiplies an A strip by a
 * B strip with {@code MR x 2} vector accumulators. Operands may have any layout (packing reads
 * them); C must be row-major (JavaBlas transposes the problem otherwise).
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present
 * ({@code --add-modules jdk.incubator.vector}).
 */
final class VectorGemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final long V_BYTES = V * 4L;
    static final int MR = 6;
    static final int NR = 2 * V;
    // Measured on a 2-core AVX-512 Zen 4 (see GemmBenchmark): 6 rows is the largest block whose
    // kernel C1 still compiles at tier 3; at 8 or more, C1 runs out of virtual registers and the
    // kernel can stay in tier-2 code that boxes every vector (2 GFLOP/s) instead of reaching C2.
    // KC 256 / MC 96 / NC 512 were within noise of the best of the sizes tried (KC 128 to 512,
    // MC 96 or 192, NC 256 to 1024). Packing buffers: 0.6 MB per thread.
    static final int KC = 256;
    static final int MC = 16 * MR;
    static final int NC = 16 * NR;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private VectorGemm() {
    }

    /** Packing buffers of one thread, off-heap, made once per thread. */
    static final class Scratch {
        final MemorySegment a = Arena.ofAuto().allocate((long) MC * KC * 4, 64);
        final MemorySegment b = Arena.ofAuto().allocate((long) KC * NC * 4, 64);
        final MemorySegment tile = Arena.ofAuto().allocate((long) MR * NR * 4, 64);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {@code C += alpha * A·B} over C's columns {@code [j0, j1)}; C row-major, beta already applied. */
    static void multiply(float alpha, Matrix a, Matrix b, Matrix c, int j0, int j1) {
        Scratch s = SCRATCH.get();
        int m = a.rows();
        int k = a.cols();
        long ldc = c.ld() * 4L;
        MemorySegment cs = c.segment();
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, pc, kc, jc, nc, s.b);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(alpha, a, ic, mc, pc, kc, s.a);
                    for (int ir = 0; ir < mc; ir += MR) {
                        long ao = (long) ir * kc * 4;
                        long crow = (ic + ir) * ldc;
                        int mr = Math.min(MR, mc - ir);
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            if (mr == MR && nr == NR) {
                                kernel(s.a, ao, s.b, (long) jr * kc * 4, kc, cs, crow + (jc + jr) * 4L, ldc);
                            } else {
                                s.tile.fill((byte) 0);
                                kernel(s.a, ao, s.b, (long) jr * kc * 4, kc, s.tile, 0, NR * 4L);
                                addTile(s.tile, mr, nr, cs, crow + (jc + jr) * 4L, ldc);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs B[pc..pc+kc, jc..jc+nc] as NR-wide strips, each kc rows of NR floats, zero-padded. */
    private static void packB(Matrix b, int pc, int kc, int jc, int nc, MemorySegment to) {
        MemorySegment from = b.segment();
        long out = 0;
        if (b.layout() == Layout.ROW_MAJOR) {
            long ld = b.ld() * 4L;
            for (int jr = 0; jr < nc; jr += NR) {
                int w = Math.min(NR, nc - jr);
                VectorMask<Float> m0 = S.indexInRange(0, w);
                VectorMask<Float> m1 = S.indexInRange(V, w);
                long in = pc * ld + (jc + jr) * 4L;
                for (int p = 0; p < kc; p++, in += ld, out += NR * 4L) {
                    FloatVector.fromMemorySegment(S, from, in, NATIVE, m0).intoMemorySegment(to, out, NATIVE);
                    FloatVector.fromMemorySegment(S, from, in + V_BYTES, NATIVE, m1)
                            .intoMemorySegment(to, out + V_BYTES, NATIVE);
                }
            }
        } else {
            long ld = b.ld();
            for (int jr = 0; jr < nc; jr += NR) {
                int w = Math.min(NR, nc - jr);
                for (int p = 0; p < kc; p++) {
                    for (int jj = 0; jj < NR; jj++, out += 4) {
                        float v = jj < w ? from.getAtIndex(F, (jc + jr + jj) * ld + pc + p) : 0f;
                        to.set(F, out, v);
                    }
                }
            }
        }
    }

    /** Packs alpha * A[ic..ic+mc, pc..pc+kc] as MR-tall strips, each kc columns of MR floats, zero-padded. */
    private static void packA(float alpha, Matrix a, int ic, int mc, int pc, int kc, MemorySegment to) {
        MemorySegment from = a.segment();
        long rowStride = a.layout() == Layout.ROW_MAJOR ? a.ld() : 1;
        long colStride = a.layout() == Layout.ROW_MAJOR ? 1 : a.ld();
        for (int ir = 0; ir < mc; ir += MR) {
            int h = Math.min(MR, mc - ir);
            long strip = (long) ir * kc * 4;
            for (int ii = 0; ii < MR; ii++) {
                long out = strip + ii * 4L;
                if (ii >= h) {
                    for (int p = 0; p < kc; p++, out += MR * 4L) {
                        to.set(F, out, 0f);
                    }
                    continue;
                }
                long in = (ic + ir + ii) * rowStride + pc * colStride;
                for (int p = 0; p < kc; p++, in += colStride, out += MR * 4L) {
                    to.set(F, out, alpha * from.getAtIndex(F, in));
                }
            }
        }
    }

    /**
     * {@code C[MR x NR] += A strip · B strip} over {@code kc} steps, with {@value MR}x2 vector accumulators
     * kept in registers. Full tiles only: edge tiles go through a scratch tile (small methods stay
     * inside C2's inlining budget, which the Vector API needs to stay in registers).
     */
    private static void kernel(MemorySegment pa, long ao, MemorySegment pb, long bo, int kc, MemorySegment c,
            long co, long ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, pb, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, pb, bo + V_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(S, pa.get(F, ao + 0));
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa.get(F, ao + 4));
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa.get(F, ao + 8));
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa.get(F, ao + 12));
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa.get(F, ao + 16));
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa.get(F, ao + 20));
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            ao += MR * 4L;
            bo += NR * 4L;
        }
        c00.add(FloatVector.fromMemorySegment(S, c, co, NATIVE)).intoMemorySegment(c, co, NATIVE);
        c01.add(FloatVector.fromMemorySegment(S, c, co + V_BYTES, NATIVE)).intoMemorySegment(c, co + V_BYTES, NATIVE);
        co += ldc;
        c10.add(FloatVector.fromMemorySegment(S, c, co, NATIVE)).intoMemorySegment(c, co, NATIVE);
        c11.add(FloatVector.fromMemorySegment(S, c, co + V_BYTES, NATIVE)).intoMemorySegment(c, co + V_BYTES, NATIVE);
        co += ldc;
        c20.add(FloatVector.fromMemorySegment(S, c, co, NATIVE)).intoMemorySegment(c, co, NATIVE);
        c21.add(FloatVector.fromMemorySegment(S, c, co + V_BYTES, NATIVE)).intoMemorySegment(c, co + V_BYTES, NATIVE);
        co += ldc;
        c30.add(FloatVector.fromMemorySegment(S, c, co, NATIVE)).intoMemorySegment(c, co, NATIVE);
        c31.add(FloatVector.fromMemorySegment(S, c, co + V_BYTES, NATIVE)).intoMemorySegment(c, co + V_BYTES, NATIVE);
        co += ldc;
        c40.add(FloatVector.fromMemorySegment(S, c, co, NATIVE)).intoMemorySegment(c, co, NATIVE);
        c41.add(FloatVector.fromMemorySegment(S, c, co + V_BYTES, NATIVE)).intoMemorySegment(c, co + V_BYTES, NATIVE);
        co += ldc;
        c50.add(FloatVector.fromMemorySegment(S, c, co, NATIVE)).intoMemorySegment(c, co, NATIVE);
        c51.add(FloatVector.fromMemorySegment(S, c, co + V_BYTES, NATIVE)).intoMemorySegment(c, co + V_BYTES, NATIVE);
    }


    /** Adds the top-left {@code mr x nr} of a scratch tile into C. */
    private static void addTile(MemorySegment tile, int mr, int nr, MemorySegment c, long co, long ldc) {
        for (int r = 0; r < mr; r++, co += ldc) {
            for (int j = 0; j < nr; j++) {
                long at = co + j * 4L;
                c.set(F, at, c.get(F, at) + tile.get(F, (long) (r * NR + j) * 4));
            }
        }
    }
}
