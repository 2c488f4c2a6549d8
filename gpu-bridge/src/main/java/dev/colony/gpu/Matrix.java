package dev.colony.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A dense row-major matrix whose elements live off the Java heap in a {@link MemorySegment}.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *     Matrix a = Matrix.allocate(arena, DType.F32, 512, 256);
 *     a.fillRandom(new SplittableRandom(42));
 * }
 * }</pre>
 *
 * <p>Ownership: the arena that allocated (or owns) the segment decides its lifetime; a matrix
 * never closes it. Thread safety: none; a matrix is a view, callers coordinate access.
 *
 * @param dtype   element type
 * @param rows    number of rows, at least 1
 * @param cols    number of columns, at least 1
 * @param segment backing memory, at least {@code rows * cols * dtype.sizeBytes()} bytes
 */
public record Matrix(DType dtype, int rows, int cols, MemorySegment segment) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;

    /** Validates the shape and that the segment is alive and large enough. */
    public Matrix {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(segment, "segment");
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape " + rows + "x" + cols + " must be at least 1x1");
        }
        long need = (long) rows * cols * dtype.sizeBytes();
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("matrix segment's arena is already closed");
        }
        if (segment.byteSize() < need) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for a "
                    + rows + "x" + cols + " " + dtype + " matrix (" + need + " bytes)");
        }
    }

    /** Allocates a zeroed matrix in {@code arena}, aligned for the element type. */
    public static Matrix allocate(Arena arena, DType dtype, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape " + rows + "x" + cols + " must be at least 1x1");
        }
        long bytes = Math.multiplyExact(Math.multiplyExact((long) rows, cols), dtype.sizeBytes());
        return new Matrix(dtype, rows, cols, arena.allocate(bytes, 64));
    }

    /** Wraps an existing segment without copying. */
    public static Matrix wrap(MemorySegment segment, DType dtype, int rows, int cols) {
        return new Matrix(dtype, rows, cols, segment);
    }

    /** Number of elements. */
    public long elementCount() {
        return (long) rows * cols;
    }

    /** Bytes the elements occupy. */
    public long byteSize() {
        return elementCount() * dtype.sizeBytes();
    }

    /** Element at ({@code row}, {@code col}) widened to double. */
    public double get(int row, int col) {
        long i = (long) row * cols + col;
        return dtype == DType.F32 ? segment.getAtIndex(F32, i) : segment.getAtIndex(F64, i);
    }

    /** Sets element ({@code row}, {@code col}), narrowing to the matrix's dtype. */
    public void set(int row, int col, double value) {
        long i = (long) row * cols + col;
        if (dtype == DType.F32) {
            segment.setAtIndex(F32, i, (float) value);
        } else {
            segment.setAtIndex(F64, i, value);
        }
    }

    /** Fills with uniform values in [-1, 1) from {@code random}. */
    public void fillRandom(RandomGenerator random) {
        long n = elementCount();
        MemorySegment s = segment;
        if (dtype == DType.F32) {
            for (long i = 0; i < n; i++) {
                s.setAtIndex(F32, i, (float) (random.nextDouble() * 2 - 1));
            }
        } else {
            for (long i = 0; i < n; i++) {
                s.setAtIndex(F64, i, random.nextDouble() * 2 - 1);
            }
        }
    }

    /** Frobenius norm (square root of the sum of squares), accumulated in double. */
    public double frobeniusNorm() {
        double sum = 0;
        long n = elementCount();
        MemorySegment s = segment;
        if (dtype == DType.F32) {
            for (long i = 0; i < n; i++) {
                double v = s.getAtIndex(F32, i);
                sum += v * v;
            }
        } else {
            for (long i = 0; i < n; i++) {
                double v = s.getAtIndex(F64, i);
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    /** Shape as {@code rows x cols dtype}, used in error messages. */
    public String shape() {
        return rows + "x" + cols + " " + dtype.name().toLowerCase(java.util.Locale.ROOT);
    }
}
