package org.scratchdl.optim;

import java.util.List;
import java.util.Locale;

/** Creates optimizers by name, as the command line and saved checkpoints refer to them. */
public final class Optimizers {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam");

    private Optimizers() {
    }

    /**
     * An optimizer with its default hyper-parameters.
     *
     * @param name one of {@link #NAMES} (case-insensitive)
     * @param lr learning rate, positive and finite
     * @return a new optimizer, without state until its first step
     * @throws IllegalArgumentException for an unknown name or an invalid learning rate
     */
    public static Optimizer create(String name, double lr) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new SGD(lr);
            case "momentum" -> new Momentum(lr);
            case "nesterov" -> new Nesterov(lr);
            case "adagrad" -> new AdaGrad(lr);
            case "rmsprop" -> new RMSprop(lr);
            case "adam" -> new Adam(lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected one of " + NAMES);
        };
    }
}
