package org.scratchdl.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scratchdl.tensor.Shapes;

/**
 * The parsed and checked JSON header of a safetensors file: the tensor descriptions in header
 * order and the {@code __metadata__} strings.
 *
 * <p>Parsing checks everything the header alone can tell: valid UTF-8 starting with <code>{</code>,
 * one JSON object and nothing after it but whitespace, no duplicate keys, {@code __metadata__} an
 * object of strings, every other entry an object with exactly {@code dtype} (a supported name),
 * {@code shape} (non-negative integers whose product fits one Java array) and
 * {@code data_offsets} (two ascending non-negative integers). How the offsets fit the data section
 * is checked by the reader, which knows the file length.
 */
final class SafeTensorsHeader {
    /** The largest header accepted, in bytes (as the reference implementation: 100 MB). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The key of the optional string-to-string metadata object. */
    static final String METADATA_KEY = "__metadata__";
    /** The largest element count of one tensor (the usual limit of a Java array). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Where the header starts in the file, after the 8-byte length. */
    private static final long HEADER_START = 8;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) MAX_HEADER_BYTES)
                    .maxNameLength((int) MAX_HEADER_BYTES)
                    .build())
            .build();

    /**
     * One tensor description.
     *
     * @param name the tensor's key in the header
     * @param dtype its element type
     * @param shape its dimensions (not shared)
     * @param elements the product of the dimensions
     * @param begin first byte of its data, relative to the data section
     * @param end one past its last byte, relative to the data section
     * @param fileOffset where its description starts in the file, for messages
     */
    record Entry(String name, SafeTensorsDtype dtype, int[] shape, long elements, long begin, long end,
            long fileOffset) {
        /** The number of bytes the shape and dtype call for. */
        long byteLength() {
            return elements * dtype.size();
        }
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = Collections.unmodifiableList(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** The tensor descriptions in header order. */
    List<Entry> entries() {
        return entries;
    }

    /** The {@code __metadata__} strings in header order (empty when absent). */
    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Parses and checks a header.
     *
     * @param header the header bytes, i.e. file bytes {@code [8, 8 + H)} (not modified)
     * @param file the file, named in error messages
     * @throws CorruptFileException at the file offset of the first problem found
     */
    static SafeTensorsHeader parse(byte[] header, Path file) throws CorruptFileException {
        checkUtf8(header, file);
        if (header.length == 0 || header[0] != '{') {
            throw new CorruptFileException(file, HEADER_START,
                    "the header must be a JSON object starting with '{'");
        }
        try (JsonParser parser = JSON.createParser(header)) {
            return new Walker(parser, file).readHeader();
        } catch (CorruptFileException e) {
            throw e;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? HEADER_START : fileOffset(e.getLocation());
            // Jackson's own location text says nothing useful here; the offset is in the message already
            String detail = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[");
            throw new CorruptFileException(file, at, "the header is not valid JSON: " + detail, e);
        } catch (IOException e) {
            throw new CorruptFileException(file, HEADER_START, "the header cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static void checkUtf8(byte[] header, Path file) throws CorruptFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        CharBuffer out = CharBuffer.allocate(Math.min(header.length, 8192) + 2);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new CorruptFileException(file, HEADER_START + in.position(), "the header is not valid UTF-8");
            }
            out.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        CoderResult flush = decoder.flush(out);
        if (flush.isError()) {
            throw new CorruptFileException(file, HEADER_START + in.position(), "the header is not valid UTF-8");
        }
    }

    private static long fileOffset(JsonLocation location) {
        long inHeader = location.getByteOffset() >= 0 ? location.getByteOffset() : location.getCharOffset();
        return HEADER_START + Math.max(0, inHeader);
    }

    /** Walks the token stream of one header. */
    private static final class Walker {
        private final JsonParser parser;
        private final Path file;

        Walker(JsonParser parser, Path file) {
            this.parser = parser;
            this.file = file;
        }

        SafeTensorsHeader readHeader() throws IOException {
            expect(parser.nextToken() == JsonToken.START_OBJECT, "the header must be a JSON object");
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            Set<String> keys = new HashSet<>();
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                String key = fieldName(t);
                long at = here();
                if (!keys.add(key)) {
                    throw corrupt(at, "duplicate key '" + key + "' in the header");
                }
                if (METADATA_KEY.equals(key)) {
                    readMetadata(metadata);
                } else {
                    entries.add(readEntry(key, at));
                }
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw corrupt(here(), "found " + describe(after)
                        + " after the header object (only whitespace may follow it)");
            }
            return new SafeTensorsHeader(entries, metadata);
        }

        private void readMetadata(Map<String, String> metadata) throws IOException {
            expect(parser.nextToken() == JsonToken.START_OBJECT,
                    "'" + METADATA_KEY + "' must be a JSON object of strings");
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                String key = fieldName(t);
                long at = here();
                if (metadata.containsKey(key)) {
                    throw corrupt(at, "duplicate key '" + key + "' in '" + METADATA_KEY + "'");
                }
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    throw corrupt(here(), "'" + METADATA_KEY + "' value of '" + key + "' must be a string, not "
                            + describe(value));
                }
                metadata.put(key, parser.getText());
            }
        }

        private Entry readEntry(String name, long at) throws IOException {
            String what = "tensor '" + name + "'";
            expect(parser.nextToken() == JsonToken.START_OBJECT,
                    what + ": the description must be a JSON object with dtype, shape and data_offsets");
            String dtypeName = null;
            long dtypeAt = at;
            int[] shape = null;
            long[] offsets = null;
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                String key = fieldName(t);
                long keyAt = here();
                switch (key) {
                    case "dtype" -> {
                        requireFirst(dtypeName == null, what, key, keyAt);
                        expect(parser.nextToken() == JsonToken.VALUE_STRING, what + ": dtype must be a string");
                        dtypeAt = here();
                        dtypeName = parser.getText();
                    }
                    case "shape" -> {
                        requireFirst(shape == null, what, key, keyAt);
                        shape = readShape(what);
                    }
                    case "data_offsets" -> {
                        requireFirst(offsets == null, what, key, keyAt);
                        offsets = readOffsets(what);
                    }
                    default -> throw corrupt(keyAt, what + ": unexpected key '" + key
                            + "' (a description has exactly dtype, shape and data_offsets)");
                }
            }
            if (dtypeName == null || shape == null || offsets == null) {
                throw corrupt(at, what + ": the description lacks "
                        + (dtypeName == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
            }
            SafeTensorsDtype dtype = SafeTensorsDtype.byName(dtypeName);
            if (dtype == null) {
                throw corrupt(dtypeAt, what + ": " + (SafeTensorsDtype.isKnown(dtypeName)
                        ? "dtype " + dtypeName + " is not supported (F32, F64, F16 and BF16 are)"
                        : "unknown dtype '" + dtypeName + "'"));
            }
            long elements = elements(shape, what, at);
            return new Entry(name, dtype, shape, elements, offsets[0], offsets[1], at);
        }

        private int[] readShape(String what) throws IOException {
            expect(parser.nextToken() == JsonToken.START_ARRAY, what + ": shape must be an array of integers");
            int[] dims = new int[4];
            int n = 0;
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                long value = readNonNegative(t, what + ": shape", "non-negative integers", Integer.MAX_VALUE);
                if (n == dims.length) {
                    dims = Arrays.copyOf(dims, 2 * n);
                }
                dims[n++] = (int) value;
            }
            return Arrays.copyOf(dims, n);
        }

        private long[] readOffsets(String what) throws IOException {
            String field = what + ": data_offsets";
            expect(parser.nextToken() == JsonToken.START_ARRAY, field + " must be an array [begin, end]");
            long at = here();
            long begin = readNonNegative(parser.nextToken(), field, "two non-negative integers", Long.MAX_VALUE);
            long end = readNonNegative(parser.nextToken(), field, "two non-negative integers", Long.MAX_VALUE);
            expect(parser.nextToken() == JsonToken.END_ARRAY, field + " must hold exactly two numbers");
            if (end < begin) {
                throw corrupt(at, field + " [" + begin + ", " + end + "] are not ascending");
            }
            return new long[] {begin, end};
        }

        private long readNonNegative(JsonToken t, String field, String expected, long max) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw corrupt(here(), field + " must hold " + expected + ", found " + describe(t));
            }
            JsonParser.NumberType type = parser.getNumberType();
            if (type == JsonParser.NumberType.BIG_INTEGER) {
                throw corrupt(here(), field + " holds " + parser.getText() + ", which is too large");
            }
            long value = parser.getLongValue();
            if (value < 0) {
                throw corrupt(here(), field + " holds the negative number " + value);
            }
            if (value > max) {
                throw corrupt(here(), field + " holds " + value + ", which is too large (at most " + max + ")");
            }
            return value;
        }

        private long elements(int[] shape, String what, long at) throws CorruptFileException {
            long n = 1;
            for (int d : shape) {
                if (d == 0) {
                    return 0;
                }
            }
            for (int d : shape) {
                n *= d;
                if (n > MAX_ELEMENTS) {
                    throw corrupt(at, what + ": shape " + Shapes.format(shape)
                            + " overflows: more than " + MAX_ELEMENTS + " elements");
                }
            }
            return n;
        }

        private String fieldName(JsonToken t) throws IOException {
            if (t != JsonToken.FIELD_NAME) {
                throw corrupt(here(), "expected a key, found " + describe(t));
            }
            return parser.currentName();
        }

        private void requireFirst(boolean first, String what, String key, long at) throws CorruptFileException {
            if (!first) {
                throw corrupt(at, what + ": duplicate key '" + key + "'");
            }
        }

        private void expect(boolean ok, String problem) throws CorruptFileException {
            if (!ok) {
                throw corrupt(here(), problem + ", found " + describe(parser.currentToken()));
            }
        }

        private long here() {
            return fileOffset(parser.currentTokenLocation());
        }

        private CorruptFileException corrupt(long at, String problem) {
            return new CorruptFileException(file, at, problem);
        }

        private static String describe(JsonToken t) {
            if (t == null) {
                return "the end of the header";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case END_OBJECT, END_ARRAY -> "'" + t.asString() + "'";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "an integer";
                case VALUE_NUMBER_FLOAT -> "a non-integer number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.name();
            };
        }
    }
}
