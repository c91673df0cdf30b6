package org.scratchdl.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.scratchdl.tensor.Tensor;

/**
 * Writes tensors in the safetensors layout: the header length as an unsigned 64-bit little-endian
 * integer, the UTF-8 JSON header padded with spaces to a multiple of 8 bytes, then each tensor's
 * float32 values in little-endian order, in the map's iteration order.
 */
final class SafeTensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK_FLOATS = 1 << 14;

    private SafeTensorsWriter() {
    }

    /**
     * The header bytes for {@code tensors} (data laid out in iteration order) and
     * {@code metadata} (omitted when empty), padded with spaces to a multiple of 8 bytes.
     *
     * @throws IllegalArgumentException if a name is null or {@code __metadata__}, a tensor or a
     *     metadata entry is null, a string cannot be encoded as UTF-8, or the header would exceed
     *     {@link SafeTensorsHeader#MAX_HEADER_BYTES}
     */
    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(SafeTensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new IllegalArgumentException("metadata keys and values must not be null: " + e);
                    }
                    requireEncodable(e.getKey());
                    requireEncodable(e.getValue());
                    json.writeStringField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (name == null || SafeTensorsHeader.METADATA_KEY.equals(name)) {
                    throw new IllegalArgumentException("invalid tensor name: " + name);
                }
                if (t == null) {
                    throw new IllegalArgumentException("tensor '" + name + "' is null");
                }
                requireEncodable(name);
                long length = 4L * t.size();
                json.writeObjectFieldStart(name);
                json.writeStringField("dtype", "F32");
                json.writeFieldName("shape");
                int[] shape = t.shape();
                json.writeArray(shape, 0, shape.length);
                json.writeFieldName("data_offsets");
                json.writeArray(new long[] {offset, offset + length}, 0, 2);
                json.writeEndObject();
                offset += length;
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the header: " + e.getMessage(), e);
        }
        int padded = (bytes.size() + 7) / 8 * 8;
        if (padded > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would have " + padded + " bytes, over the limit of "
                    + SafeTensorsHeader.MAX_HEADER_BYTES);
        }
        byte[] header = Arrays.copyOf(bytes.toByteArray(), padded);
        Arrays.fill(header, bytes.size(), padded, (byte) ' ');
        return header;
    }

    private static void requireEncodable(String s) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException("'" + s + "' cannot be encoded as UTF-8 (an unpaired surrogate?)");
        }
    }

    /**
     * Writes the whole file to {@code out} (not closed).
     *
     * @throws IllegalArgumentException as {@link #header}
     * @throws IOException if the stream fails
     */
    static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, metadata);
        ByteBuffer buffer = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(0, header.length);
        out.write(buffer.array(), 0, 8);
        out.write(header);
        FloatBuffer floats = buffer.asFloatBuffer();
        for (Tensor t : tensors.values()) {
            float[] data = t.data();
            for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                int n = Math.min(CHUNK_FLOATS, data.length - from);
                floats.clear();
                floats.put(data, from, n);
                out.write(buffer.array(), 0, 4 * n);
            }
        }
        out.flush();
    }
}
