package dev.colony.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A dense matrix whose elements live off the Java heap in a {@link MemorySegment}, in row- or
 * column-major order with a leading dimension (the element distance between consecutive rows,
 * or columns), so a block of a larger matrix is a matrix too, without a copy.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *     Matrix a = Matrix.allocate(arena, DType.F32, 512, 256);
 *     a.fillRandom(new SplittableRandom(42));
 *     Matrix block = a.block(0, 0, 128, 128);   // a view: same memory, ld 256
 *     Matrix at = a.transpose();                 // a view: 256x512, column-major
 * }
 * }</pre>
 *
 * <p>Ownership: the arena that allocated (or owns) the segment decides its lifetime; a matrix
 * never closes it. Thread safety: none; a matrix is a view, callers coordinate access.
 *
 * @param dtype   element type
 * @param rows    number of rows, at least 1
 * @param cols    number of columns, at least 1
 * @param layout  element order
 * @param ld      leading dimension in elements: at least {@code cols} (row-major) or
 *                {@code rows} (column-major)
 * @param segment backing memory, at least {@link #byteSize()} bytes, starting at element (0, 0)
 */
public record Matrix(DType dtype, int rows, int cols, Layout layout, int ld, MemorySegment segment) {

    /** Validates the shape, the leading dimension, and that the segment is alive and large enough. */
    public Matrix {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(segment, "segment");
        checkShape(rows, cols);
        int inner = layout == Layout.ROW_MAJOR ? cols : rows;
        if (ld < inner) {
            throw new IllegalArgumentException("leading dimension " + ld + " of a " + layout + " " + rows + "x" + cols
                    + " matrix must be at least " + inner);
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("matrix segment's arena is already closed");
        }
        long need = span(rows, cols, layout, ld) * dtype.sizeBytes();
        if (segment.byteSize() < need) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for a "
                    + rows + "x" + cols + " " + dtype.label() + " matrix (" + need + " bytes)");
        }
    }

    /** Allocates a zeroed row-major matrix in {@code arena}, 64-byte aligned. */
    public static Matrix allocate(Arena arena, DType dtype, int rows, int cols) {
        return allocate(arena, dtype, rows, cols, Layout.ROW_MAJOR);
    }

    /** Allocates a zeroed, packed matrix of the given layout in {@code arena}, 64-byte aligned. */
    public static Matrix allocate(Arena arena, DType dtype, int rows, int cols, Layout layout) {
        checkShape(rows, cols);
        long bytes = Math.multiplyExact(Math.multiplyExact((long) rows, cols), dtype.sizeBytes());
        return new Matrix(dtype, rows, cols, layout, layout == Layout.ROW_MAJOR ? cols : rows,
                arena.allocate(bytes, 64));
    }

    /** Wraps an existing segment as a packed row-major matrix, without copying. */
    public static Matrix wrap(MemorySegment segment, DType dtype, int rows, int cols) {
        return new Matrix(dtype, rows, cols, Layout.ROW_MAJOR, cols, segment);
    }

    /** Wraps an existing segment, without copying. */
    public static Matrix wrap(MemorySegment segment, DType dtype, int rows, int cols, Layout layout, int ld) {
        return new Matrix(dtype, rows, cols, layout, ld, segment);
    }

    /**
     * Wraps a direct {@link ByteBuffer} (from position to limit) as a packed matrix, without
     * copying. Heap buffers are refused: their bytes live in a Java array the native backends
     * cannot use.
     */
    public static Matrix wrap(ByteBuffer buffer, DType dtype, int rows, int cols, Layout layout) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("matrix buffer must be direct (ByteBuffer.allocateDirect or a mapped "
                    + "file); a heap ByteBuffer is a Java array");
        }
        return new Matrix(dtype, rows, cols, layout, layout == Layout.ROW_MAJOR ? cols : rows,
                MemorySegment.ofBuffer(buffer));
    }

    /** Number of elements. */
    public long elementCount() {
        return (long) rows * cols;
    }

    /** Bytes from element (0, 0) to just past the last element, padding between rows/columns included. */
    public long byteSize() {
        return span(rows, cols, layout, ld) * dtype.sizeBytes();
    }

    /** Whether the elements are packed (no gap between rows or columns). */
    public boolean packed() {
        return ld == (layout == Layout.ROW_MAJOR ? cols : rows);
    }

    /** The element index of ({@code row}, {@code col}) in the segment. */
    public long index(int row, int col) {
        return layout == Layout.ROW_MAJOR ? (long) row * ld + col : (long) col * ld + row;
    }

    /** The transpose as a view of the same memory (the layout flips, the leading dimension stays). */
    public Matrix transpose() {
        return new Matrix(dtype, cols, rows, layout.flip(), ld, segment);
    }

    /** The {@code rows x cols} block starting at ({@code row}, {@code col}), as a view of the same memory. */
    public Matrix block(int row, int col, int rows, int cols) {
        if (row < 0 || col < 0 || rows < 1 || cols < 1 || row + rows > this.rows || col + cols > this.cols) {
            throw new IndexOutOfBoundsException("block " + rows + "x" + cols + " at (" + row + ", " + col
                    + ") is outside the " + shape() + " matrix");
        }
        long offset = index(row, col) * dtype.sizeBytes();
        return new Matrix(dtype, rows, cols, layout, ld, segment.asSlice(offset, span(rows, cols, layout, ld)
                * dtype.sizeBytes()));
    }

    /** Element at ({@code row}, {@code col}) widened to double. */
    public double get(int row, int col) {
        checkIndex(row, col);
        return Elements.get(dtype, segment, index(row, col));
    }

    /** Sets element ({@code row}, {@code col}), rounded to the matrix's dtype. */
    public void set(int row, int col, double value) {
        checkIndex(row, col);
        Elements.set(dtype, segment, index(row, col), value);
    }

    /** Fills with uniform values in [-1, 1) from {@code random}, row by row. */
    public void fillRandom(RandomGenerator random) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                Elements.set(dtype, segment, index(i, j), random.nextDouble() * 2 - 1);
            }
        }
    }

    /** Copies every element of {@code source} (same shape, any layout and dtype) into this matrix. */
    public void copyFrom(Matrix source) {
        if (source.rows != rows || source.cols != cols) {
            throw new IllegalArgumentException("copy shape mismatch: source is " + source.shape() + ", target is "
                    + shape());
        }
        if (source.dtype == dtype && source.layout == layout && source.packed() && packed()) {
            MemorySegment.copy(source.segment, 0, segment, 0, byteSize()); // same packed element order: one bulk copy
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                Elements.set(dtype, segment, index(i, j), Elements.get(source.dtype, source.segment, source.index(i, j)));
            }
        }
    }

    /** Frobenius norm (square root of the sum of squares), accumulated in double. */
    public double frobeniusNorm() {
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = Elements.get(dtype, segment, index(i, j));
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    /** Shape as {@code rows x cols dtype}, plus the layout when column-major; used in error messages. */
    public String shape() {
        return rows + "x" + cols + " " + dtype.label() + (layout == Layout.COLUMN_MAJOR ? " column-major" : "");
    }

    private void checkIndex(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") is outside the " + shape() + " matrix");
        }
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape " + rows + "x" + cols + " must be at least 1x1");
        }
    }

    /** Elements from (0, 0) to the last one, in the layout's order with its leading dimension. */
    private static long span(int rows, int cols, Layout layout, int ld) {
        return layout == Layout.ROW_MAJOR ? (long) (rows - 1) * ld + cols : (long) (cols - 1) * ld + rows;
    }

    /** Element access for every dtype, widening to double. */
    static final class Elements {
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;
        private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT;

        private Elements() {
        }

        static double get(DType dtype, MemorySegment s, long i) {
            return switch (dtype) {
                case F32 -> s.getAtIndex(F32, i);
                case F64 -> s.getAtIndex(F64, i);
                case BF16 -> DType.fromBf16(s.getAtIndex(HALF, i));
                case F16 -> Float.float16ToFloat(s.getAtIndex(HALF, i));
            };
        }

        static void set(DType dtype, MemorySegment s, long i, double value) {
            switch (dtype) {
                case F32 -> s.setAtIndex(F32, i, (float) value);
                case F64 -> s.setAtIndex(F64, i, value);
                case BF16 -> s.setAtIndex(HALF, i, DType.toBf16((float) value));
                case F16 -> s.setAtIndex(HALF, i, Float.floatToFloat16((float) value));
            }
        }
    }
}
