package org.scratchdl.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors content byte by byte, independently of the writer under test. */
final class SafeTensorsTestFiles {
    private SafeTensorsTestFiles() {
    }

    /** The 8-byte little-endian length, the header as UTF-8, then {@code data}. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, data);
    }

    /** A declared header length (possibly wrong), the header bytes, then {@code data}. */
    static byte[] file(long declaredLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header).put(data);
        return b.array();
    }

    /** float32 values, little-endian. */
    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** {@code n} zero bytes. */
    static byte[] zeros(int n) {
        return new byte[n];
    }

    /** The concatenation of the arrays. */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** One F32 tensor description as JSON, e.g. {@code "w": {...}}. */
    static String entry(String name, String shape, long begin, long end) {
        return "\"" + name + "\": {\"dtype\": \"F32\", \"shape\": " + shape + ", \"data_offsets\": [" + begin + ", "
                + end + "]}";
    }
}
