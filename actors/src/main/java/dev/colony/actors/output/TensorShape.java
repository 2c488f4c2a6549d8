package dev.colony.actors.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.actors.CborSerializable;
import dev.colony.gpu.DType;
import java.util.Locale;

/**
 * The shape of a tensor output: a dense row-major matrix of {@code rows × cols} elements of
 * {@code dtype}, stored as its raw little-endian elements.
 *
 * @param dtype {@code f32} or {@code f64}
 */
public record TensorShape(String dtype, int rows, int cols) implements CborSerializable {

    /** The shape of a matrix of {@code type}. */
    public static TensorShape of(DType type, int rows, int cols) {
        return new TensorShape(type.name().toLowerCase(Locale.ROOT), rows, cols);
    }

    /** The element type. */
    public DType type() {
        return DType.parse(dtype);
    }

    /** Bytes of the elements. */
    public long byteSize() {
        return (long) rows * cols * type().sizeBytes();
    }

    /**
     * How a tensor appears where a JSON value is expected (job results, kernels' {@code inputs}):
     * {@code {"tensor": {"dtype", "rows", "cols"}, "bytes", "node"}}; the elements themselves are
     * read with {@code TaskContext.matrix}.
     */
    public ObjectNode describe(String node, long bytes) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode t = out.putObject("tensor");
        t.put("dtype", dtype);
        t.put("rows", rows);
        t.put("cols", cols);
        out.put("bytes", bytes);
        out.put("node", node);
        return out;
    }
}
