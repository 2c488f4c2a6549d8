package dev.colony.gpu;

import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Element type of a {@link Matrix}. {@link #F32} and {@link #F64} are computed on by every
 * backend; {@link #BF16} and {@link #F16} are storage types (2 bytes) for GPU {@code gemmEx}
 * inputs, readable and writable from Java as {@code float}.
 */
public enum DType {
    /** IEEE 754 single precision, 4 bytes. */
    F32(ValueLayout.JAVA_FLOAT),
    /** IEEE 754 double precision, 8 bytes. */
    F64(ValueLayout.JAVA_DOUBLE),
    /** bfloat16 (the upper half of an f32: 8 exponent bits, 7 fraction bits), 2 bytes. */
    BF16(ValueLayout.JAVA_SHORT),
    /** IEEE 754 half precision (5 exponent bits, 10 fraction bits), 2 bytes. */
    F16(ValueLayout.JAVA_SHORT);

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

    /** Whether this type is only stored (2-byte GPU inputs), not computed on by CPU backends. */
    public boolean storageOnly() {
        return this == BF16 || this == F16;
    }

    /** Lower-case name as used in job specs and messages: {@code f32}, {@code bf16}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code f32}, {@code f64}, {@code bf16} or {@code f16} (case-insensitive). */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; known: f32, f64, bf16, f16");
    }

    /** The bfloat16 bits nearest to {@code value} (round to nearest even; NaN stays NaN). */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40); // keep it a NaN after truncation
        }
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    /** The float a bfloat16 holds (exact). */
    public static float fromBf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
