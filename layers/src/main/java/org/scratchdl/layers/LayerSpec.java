package org.scratchdl.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer's registered type name and its hyper-parameters (numbers, strings or booleans; a saved
 * model gives numbers back as JSON numbers, read them with {@link #getInt} and {@link #getDouble}),
 * enough for {@link LayerRegistry} to rebuild it; learned values are saved separately.
 *
 * @param type the name under which the layer's factory is registered, e.g. {@code Convolution}
 * @param config hyper-parameters by name, in a stable order
 */
public record LayerSpec(String type, Map<String, Object> config) {

    /**
     * @param type the registered type name
     * @param config hyper-parameters by name (copied into an unmodifiable map)
     * @throws IllegalArgumentException if the type is null or blank
     */
    public LayerSpec {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a layer spec needs a type name");
        }
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /**
     * A spec without hyper-parameters.
     *
     * @param type the registered type name
     * @return a spec with an empty configuration
     * @throws IllegalArgumentException if {@code type} is null or blank
     */
    public static LayerSpec of(String type) {
        return new LayerSpec(type, Map.of());
    }

    /**
     * An integer hyper-parameter.
     *
     * @param key the hyper-parameter's name, e.g. {@code stride}
     * @return its value as an {@code int}
     * @throws IllegalArgumentException if it is missing, not a whole number or outside the range of
     *     {@code int}
     */
    public int getInt(String key) {
        Object v = config.get(key);
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
                && num.doubleValue() >= Integer.MIN_VALUE && num.doubleValue() <= Integer.MAX_VALUE) {
            return num.intValue();
        }
        throw new IllegalArgumentException(type + ": configuration '" + key + "' must be a whole number in the range of"
                + " int, got " + v);
    }

    /**
     * A floating-point hyper-parameter.
     *
     * @param key the hyper-parameter's name
     * @return its value as a {@code double}
     * @throws IllegalArgumentException if it is missing or not a number
     */
    public double getDouble(String key) {
        Object v = config.get(key);
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        throw new IllegalArgumentException(type + ": configuration '" + key + "' must be a number, got " + v);
    }
}
