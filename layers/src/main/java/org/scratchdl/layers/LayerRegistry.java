package org.scratchdl.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Maps layer type names to factories, so that a saved model can be rebuilt.
 *
 * <p>{@link #withBuiltins()} knows the library's layers. A layer from outside the library joins
 * either explicitly, {@code registry.register("Swish", Swish::fromSpec)}, or by shipping a
 * {@link LayerProvider} listed in {@code META-INF/services/org.scratchdl.layers.LayerProvider},
 * which {@link #withInstalledProviders()} picks up. A registry is an ordinary object: no global
 * state. It is not thread-safe while being modified.
 */
public final class LayerRegistry {
    private final Map<String, LayerFactory> factories = new LinkedHashMap<>();

    private LayerRegistry() {
    }

    /**
     * A registry with the library's layers: Convolution, Pooling, ReLU, Affine.
     *
     * @return a new registry
     */
    public static LayerRegistry withBuiltins() {
        LayerRegistry r = new LayerRegistry();
        r.register(Convolution.TYPE, Convolution::fromSpec);
        r.register(Pooling.TYPE, Pooling::fromSpec);
        r.register(ReLU.TYPE, spec -> new ReLU());
        r.register(Affine.TYPE, Affine::fromSpec);
        return r;
    }

    /**
     * The built-ins plus every {@link LayerProvider} found by {@link ServiceLoader} on the class path.
     *
     * @return a new registry
     * @throws IllegalArgumentException if a provider registers a type name that is already taken
     * @throws java.util.ServiceConfigurationError if a provider cannot be loaded or instantiated
     */
    public static LayerRegistry withInstalledProviders() {
        LayerRegistry r = withBuiltins();
        for (LayerProvider provider : ServiceLoader.load(LayerProvider.class)) {
            provider.registerLayers(r);
        }
        return r;
    }

    /**
     * Registers a factory under {@code type}.
     *
     * @param type the name saved models give the layer, e.g. {@code Swish}
     * @param factory builds the layer from its spec
     * @return this registry
     * @throws IllegalArgumentException if the name is already taken
     */
    public LayerRegistry register(String type, LayerFactory factory) {
        if (factories.putIfAbsent(type, factory) != null) {
            throw new IllegalArgumentException("a layer type named '" + type + "' is already registered");
        }
        return this;
    }

    /**
     * Builds the layer a spec describes.
     *
     * @param spec the layer's type name and hyper-parameters
     * @return a new layer, from the factory registered under the spec's type
     * @throws IllegalArgumentException if the type is unknown (the message lists the known ones) or
     *     the configuration is invalid
     */
    public Layer create(LayerSpec spec) {
        LayerFactory f = factories.get(spec.type());
        if (f == null) {
            throw new IllegalArgumentException("unknown layer type '" + spec.type() + "'; known types: "
                    + String.join(", ", factories.keySet())
                    + " (register a custom layer with LayerRegistry.register or a LayerProvider)");
        }
        return f.create(spec);
    }

    /**
     * The registered type names.
     *
     * @return an unmodifiable view of the names, in registration order
     */
    public Set<String> types() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
