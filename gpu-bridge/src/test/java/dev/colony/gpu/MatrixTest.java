package dev.colony.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixTest {

    @TempDir
    Path dir;

    @Test
    void shouldViewTransposeAndBlockWithoutCopying() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix m = Matrix.allocate(arena, DType.F32, 4, 6);
            m.fillRandom(new SplittableRandom(1));
            Matrix t = m.transpose();
            assertEquals(Layout.COLUMN_MAJOR, t.layout());
            assertEquals(6, t.rows());
            assertEquals(m.get(1, 5), t.get(5, 1));
            Matrix block = m.block(1, 2, 3, 4);
            assertEquals(6, block.ld());
            assertTrue(!block.packed());
            block.set(0, 0, 42);
            assertEquals(42, m.get(1, 2)); // same memory
            assertEquals(m.segment().address() + (6 + 2) * 4, block.segment().address());
        }
    }

    @Test
    void shouldRejectALeadingDimensionSmallerThanTheRow() {
        try (Arena arena = Arena.ofConfined()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Matrix.wrap(arena.allocate(400), DType.F32, 4, 10, Layout.ROW_MAJOR, 8));
            assertTrue(e.getMessage().contains("leading dimension 8") && e.getMessage().contains("at least 10"),
                    e.getMessage());
            var outside = assertThrows(IndexOutOfBoundsException.class,
                    () -> Matrix.allocate(arena, DType.F32, 4, 4).block(2, 2, 3, 1));
            assertTrue(outside.getMessage().contains("outside the 4x4 f32"), outside.getMessage());
        }
    }

    @Test
    void shouldStoreHalfPrecisionTypesRounded() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix bf = Matrix.allocate(arena, DType.BF16, 1, 3);
            bf.set(0, 0, 1.0);
            bf.set(0, 1, 1.00390625); // 1 + 2^-8: halfway between bf16 neighbours 1 and 1 + 2^-7; rounds to even (1)
            bf.set(0, 2, -3.0e38);
            assertEquals(1.0, bf.get(0, 0));
            assertEquals(1.0, bf.get(0, 1));
            assertEquals(-3.0e38, bf.get(0, 2), 3.0e38 / 128);
            assertEquals(6, bf.byteSize());
            Matrix h = Matrix.allocate(arena, DType.F16, 1, 2);
            h.set(0, 0, 0.1);
            h.set(0, 1, 70000); // beyond f16's 65504
            assertEquals(0.1, h.get(0, 0), 1e-4);
            assertEquals(Double.POSITIVE_INFINITY, h.get(0, 1));
            assertTrue(Double.isNaN(DType.fromBf16(DType.toBf16(Float.NaN))));
        }
    }

    @Test
    void shouldWrapDirectBuffersAndRefuseHeapOnes() {
        ByteBuffer direct = ByteBuffer.allocateDirect(6 * 4).order(ByteOrder.nativeOrder());
        direct.putFloat(4 * 4, 7f);
        Matrix m = Matrix.wrap(direct, DType.F32, 2, 3, Layout.COLUMN_MAJOR);
        assertEquals(7f, m.get(0, 2)); // column 2 starts at element 4
        var e = assertThrows(IllegalArgumentException.class,
                () -> Matrix.wrap(ByteBuffer.allocate(24), DType.F32, 2, 3, Layout.ROW_MAJOR));
        assertTrue(e.getMessage().contains("must be direct"), e.getMessage());
    }

    @Test
    void shouldRoundTripThroughAFileByReadAndByMap() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Matrix whole = Matrix.allocate(arena, DType.F64, 9, 7, Layout.COLUMN_MAJOR);
            whole.fillRandom(new SplittableRandom(3));
            Matrix block = whole.block(1, 1, 5, 4); // not packed: written column by column
            Path file = dir.resolve("m.cmat");
            MatrixFiles.write(block, file);
            assertEquals(MatrixFiles.HEADER_BYTES + 5 * 4 * 8, Files.size(file));
            Matrix read = MatrixFiles.read(file, arena);
            Matrix mapped = MatrixFiles.map(file, arena, FileChannel.MapMode.READ_WRITE);
            for (Matrix m : new Matrix[] {read, mapped}) {
                assertEquals(Layout.COLUMN_MAJOR, m.layout());
                assertEquals("5x4 f64 column-major", m.shape());
                assertArrayEquals(values(block), values(m));
            }
            mapped.set(4, 3, 0.25);
            mapped.segment().force();
            assertEquals(0.25, MatrixFiles.read(file, arena).get(4, 3));
        }
    }

    @Test
    void shouldNameTheFileWhenItIsNotAMatrixOrIsCut() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.cmat"), "hello, this is not a matrix at all.....");
        try (Arena arena = Arena.ofConfined()) {
            var e = assertThrows(IOException.class, () -> MatrixFiles.read(junk, arena));
            assertTrue(e.getMessage().contains("junk.cmat") && e.getMessage().contains("not a Colony matrix"),
                    e.getMessage());
            Path cut = dir.resolve("cut.cmat");
            MatrixFiles.write(Matrix.allocate(arena, DType.F32, 10, 10), cut);
            try (var ch = FileChannel.open(cut, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(MatrixFiles.HEADER_BYTES + 100);
            }
            var short_ = assertThrows(IOException.class, () -> MatrixFiles.map(cut, arena, FileChannel.MapMode.READ_ONLY));
            assertTrue(short_.getMessage().contains("too short for a 10x10 f32"), short_.getMessage());
        }
    }

    private static double[] values(Matrix m) {
        double[] v = new double[(int) m.elementCount()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                v[i * m.cols() + j] = m.get(i, j);
            }
        }
        return v;
    }

    @Test
    void shouldCopyIntoABlockWithoutTouchingItsNeighbours() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix source = Matrix.allocate(arena, DType.F32, 2, 3);
            source.fillRandom(new SplittableRandom(3));
            Matrix packed = Matrix.allocate(arena, DType.F32, 2, 3);
            packed.copyFrom(source);
            Matrix parent = Matrix.allocate(arena, DType.F32, 4, 5);
            Matrix block = parent.block(1, 1, 2, 3);
            block.copyFrom(source);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(source.get(i, j), packed.get(i, j));
                    assertEquals(source.get(i, j), parent.get(i + 1, j + 1));
                }
            }
            assertEquals(0.0, parent.get(1, 4));
            assertEquals(0.0, parent.get(2, 0));
        }
    }
}
