package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * How a matrix travels as a task output: {@code {"rows", "cols", "dtype", "data"}} where
 * {@code data} is the row-major elements in little-endian byte order (a CBOR byte string on the
 * wire, base64 in JSON). Outputs this large belong in the output store of a later release; this
 * form keeps small matrices simple.
 */
public final class MatrixJson {

    private MatrixJson() {
    }

    /** Encodes {@code m}; one copy from off-heap memory into the output's bytes. */
    public static ObjectNode encode(Matrix m) {
        requireLittleEndian();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("rows", m.rows());
        out.put("cols", m.cols());
        out.put("dtype", m.dtype().name().toLowerCase(java.util.Locale.ROOT));
        out.put("data", m.segment().asSlice(0, m.byteSize()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        return out;
    }

    /** Whether {@code node} looks like an encoded matrix. */
    public static boolean isMatrix(JsonNode node) {
        return node != null && node.isObject() && node.has("rows") && node.has("cols") && node.has("data");
    }

    /**
     * Decodes {@code node} into a new off-heap matrix owned by {@code arena}.
     *
     * @param what names the value in error messages, e.g. {@code input 'a'}
     */
    public static Matrix decode(JsonNode node, Arena arena, String what) throws java.io.IOException {
        if (!isMatrix(node)) {
            throw new IllegalArgumentException(what + " is not a matrix (needs rows, cols, dtype, data)");
        }
        requireLittleEndian();
        DType dtype = DType.parse(node.path("dtype").asText("f32"));
        int rows = node.get("rows").asInt();
        int cols = node.get("cols").asInt();
        byte[] data = node.get("data").binaryValue();
        long need = (long) rows * cols * dtype.sizeBytes();
        if (data == null || data.length != need) {
            throw new IllegalArgumentException(what + ": " + rows + "x" + cols + " " + dtype + " needs " + need
                    + " bytes of data, got " + (data == null ? 0 : data.length));
        }
        Matrix m = Matrix.allocate(arena, dtype, rows, cols);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, m.segment(), 0, need);
        return m;
    }

    private static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("matrix outputs are little-endian; this machine is " + ByteOrder.nativeOrder());
        }
    }
}
