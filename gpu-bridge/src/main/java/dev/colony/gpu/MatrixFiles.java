package dev.colony.gpu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Matrices in files, moved between the file and off-heap memory by the channel itself (never
 * through a Java array). The format is a 32-byte little-endian header, then the elements packed
 * in the matrix's layout in the machine's byte order (little-endian on x86-64 and aarch64, the
 * platforms Colony runs on):
 *
 * <pre>
 * offset  0  8 bytes  magic "COLNYMAT"
 * offset  8  int32    format version (1)
 * offset 12  int32    dtype: 0 f32, 1 f64, 2 bf16, 3 f16
 * offset 16  int32    layout: 0 row-major, 1 column-major
 * offset 20  int32    rows
 * offset 24  int32    cols
 * offset 28  int32    reserved (0)
 * </pre>
 *
 * <p>{@link #map} maps the elements straight into memory, so opening a large matrix costs no copy.
 */
public final class MatrixFiles {

    /** Bytes before the first element. */
    public static final int HEADER_BYTES = 32;
    private static final long MAGIC = 0x54414d594e4c4f43L; // "COLNYMAT" read little-endian
    private static final int VERSION = 1;

    private MatrixFiles() {
    }

    /** Writes {@code m} to {@code file} (created or replaced), row by row when it is not packed. */
    public static void write(Matrix m, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC).putInt(VERSION).putInt(m.dtype().ordinal()).putInt(m.layout().ordinal())
                    .putInt(m.rows()).putInt(m.cols()).putInt(0).flip();
            writeFully(ch, header);
            int outer = m.layout() == Layout.ROW_MAJOR ? m.rows() : m.cols();
            long line = (long) (m.layout() == Layout.ROW_MAJOR ? m.cols() : m.rows()) * m.dtype().sizeBytes();
            long stride = (long) m.ld() * m.dtype().sizeBytes();
            if (m.packed()) {
                writeFully(ch, m.segment().asSlice(0, m.byteSize()).asByteBuffer());
            } else {
                for (int i = 0; i < outer; i++) {
                    writeFully(ch, m.segment().asSlice(i * stride, line).asByteBuffer());
                }
            }
        }
    }

    /** Reads a matrix from {@code file} into new memory from {@code arena}. */
    public static Matrix read(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header shape = header(file, ch);
            Matrix m = Matrix.allocate(arena, shape.dtype(), shape.rows(), shape.cols(), shape.layout());
            ByteBuffer target = m.segment().asByteBuffer();
            long position = HEADER_BYTES;
            while (target.hasRemaining()) {
                int n = ch.read(target, position);
                if (n < 0) {
                    throw new IOException(file + ": ends after " + position + " bytes, inside the elements");
                }
                position += n;
            }
            return m;
        }
    }

    /**
     * Maps the elements of {@code file} into memory owned by {@code arena}, without copying;
     * writes through a {@link FileChannel.MapMode#READ_WRITE} mapping reach the file.
     */
    public static Matrix map(Path file, Arena arena, FileChannel.MapMode mode) throws IOException {
        var options = mode == FileChannel.MapMode.READ_WRITE
                ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.READ};
        try (FileChannel ch = FileChannel.open(file, options)) {
            Header shape = header(file, ch);
            MemorySegment data = ch.map(mode, HEADER_BYTES, shape.bytes(), arena);
            return Matrix.wrap(data, shape.dtype(), shape.rows(), shape.cols(), shape.layout(),
                    shape.layout() == Layout.ROW_MAJOR ? shape.cols() : shape.rows());
        }
    }

    /** Reads and checks the header and that the file holds every element. */
    private static Header header(Path file, FileChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (h.hasRemaining() && ch.read(h, h.position()) >= 0) {
            // read until the header is complete or the file ends
        }
        if (h.hasRemaining() || h.getLong(0) != MAGIC) {
            throw new IOException(file + ": not a Colony matrix file (no COLNYMAT header)");
        }
        int version = h.getInt(8);
        if (version != VERSION) {
            throw new IOException(file + ": matrix file version " + version + " is not supported (this build reads "
                    + VERSION + ")");
        }
        int dtype = h.getInt(12);
        int layout = h.getInt(16);
        int rows = h.getInt(20);
        int cols = h.getInt(24);
        if (dtype < 0 || dtype >= DType.values().length || layout < 0 || layout > 1 || rows < 1 || cols < 1) {
            throw new IOException(file + ": bad matrix header (dtype " + dtype + ", layout " + layout + ", shape "
                    + rows + "x" + cols + ")");
        }
        DType t = DType.values()[dtype];
        Layout l = Layout.values()[layout];
        long bytes = (long) rows * cols * t.sizeBytes();
        if (ch.size() < HEADER_BYTES + bytes) {
            throw new IOException(file + ": " + ch.size() + " bytes is too short for a " + rows + "x" + cols + " "
                    + t.label() + " matrix (" + (HEADER_BYTES + bytes) + " bytes)");
        }
        return new Header(t, l, rows, cols, bytes);
    }

    private record Header(DType dtype, Layout layout, int rows, int cols, long bytes) {
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
