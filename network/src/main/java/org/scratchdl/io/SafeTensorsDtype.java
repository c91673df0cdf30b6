package org.scratchdl.io;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The safetensors element types this reader converts to float32, with their size in bytes and
 * the little-endian decoding of one element.
 */
enum SafeTensorsDtype {
    /** IEEE 754 binary32, stored as is. */
    F32(4),
    /** IEEE 754 binary64, rounded to the nearest float32. */
    F64(8),
    /** IEEE 754 binary16 (half precision), widened exactly. */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32, widened exactly. */
    BF16(2);

    /** Every dtype name of the safetensors specification, including the ones not read here. */
    private static final Set<String> KNOWN = Set.of("BOOL", "U8", "I8", "F8_E5M2",
            "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64");

    private final int size;

    SafeTensorsDtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    int size() {
        return size;
    }

    /** The dtype named {@code name}, or {@code null} if it is not one this reader converts. */
    static SafeTensorsDtype byName(String name) {
        for (SafeTensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** True if {@code name} is a dtype of the safetensors specification. */
    static boolean isKnown(String name) {
        return KNOWN.contains(name);
    }

    /**
     * Decodes {@code count} elements from {@code src} (little-endian, position advanced) into
     * {@code dst[offset, offset + count)}.
     */
    void decode(ByteBuffer src, float[] dst, int offset, int count) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, offset, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) src.getDouble(src.position() + 8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = halfToFloat(src.getShort(src.position() + 2 * i) & 0xFFFF);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Float.intBitsToFloat((src.getShort(src.position() + 2 * i) & 0xFFFF) << 16);
                }
            }
            default -> throw new AssertionError(this);
        }
        src.position(src.position() + count * size);
    }

    /**
     * Widens an IEEE 754-2008 binary16 value (given as its 16 bits) to float32 exactly: sign bit,
     * 5 exponent bits with bias 15, 10 fraction bits; exponent 0 holds zeros and subnormals
     * ({@code fraction × 2^-24}), exponent 31 holds infinities and NaNs.
     */
    static float halfToFloat(int bits) {
        int sign = bits >>> 15 & 1;
        int exponent = bits >>> 10 & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign << 31 | 0x7F800000 | fraction << 13);
        }
        if (exponent == 0) {
            float magnitude = fraction * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign << 31 | (exponent - 15 + 127) << 23 | fraction << 13);
    }
}
