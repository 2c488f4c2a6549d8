package dev.colony.gpu;

import java.lang.foreign.ValueLayout;

/** Element type of a {@link Matrix}. */
public enum DType {
    /** IEEE 754 single precision, 4 bytes. */
    F32(ValueLayout.JAVA_FLOAT),
    /** IEEE 754 double precision, 8 bytes. */
    F64(ValueLayout.JAVA_DOUBLE);

    private final ValueLayout layout;

    DType(ValueLayout layout) {
        this.layout = layout;
    }

    /** Size of one element in bytes. */
    public long sizeBytes() {
        return layout.byteSize();
    }

    /** The natural memory layout of one element. */
    public ValueLayout layout() {
        return layout;
    }

    /** Parses {@code f32} or {@code f64} (case-insensitive). */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; known: f32, f64");
    }
}
