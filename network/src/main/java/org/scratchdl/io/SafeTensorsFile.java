package org.scratchdl.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.scratchdl.tensor.Tensor;

/**
 * The content of a safetensors file: named float32 tensors and the string metadata.
 *
 * @param tensors the tensors by name, in the order of their data in the file (an unmodifiable
 *     copy of the map given; the tensors themselves are not copied)
 * @param metadata the {@code __metadata__} strings in file order (an unmodifiable copy; empty when
 *     the file has none)
 */
public record SafeTensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /**
     * Copies both maps, keeping their iteration order.
     *
     * @param tensors the tensors by name
     * @param metadata the metadata strings
     * @throws NullPointerException if a map, key or value is null
     */
    public SafeTensorsFile {
        tensors = copy(tensors);
        metadata = copy(metadata);
    }

    /**
     * The tensor called {@code name}.
     *
     * @param name the tensor's name in the file
     * @return the tensor (not a copy)
     * @throws IllegalArgumentException naming the tensors present if there is no such tensor
     */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'; the file holds " + tensors.keySet());
        }
        return t;
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        Map<String, V> copy = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : map.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "key"), Objects.requireNonNull(e.getValue(), e.getKey()));
        }
        return Collections.unmodifiableMap(copy);
    }
}
