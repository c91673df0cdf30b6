package org.scratchdl.layers;

/** Builds a layer (with placeholder parameter values, to be loaded) from its {@link LayerSpec}. */
@FunctionalInterface
public interface LayerFactory {

    /**
     * @param spec the layer's type name and hyper-parameters
     * @return a new layer
     * @throws IllegalArgumentException if the spec's configuration is missing or invalid
     */
    Layer create(LayerSpec spec);
}
