package org.scratchdl.examples.cli;

import org.scratchdl.tensor.Shapes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.LayerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchdl summary}: a Keras-style table of a saved model's layers. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print each layer of a saved model with its output shape and parameter count.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model file (safetensors).")
    Path model;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        CommonOptions.requireReadableFile("--model", model);
        ModelFile.LoadedModel loaded = ModelFile.load(model, LayerRegistry.withInstalledProviders());
        PrintWriter out = spec.commandLine().getOut();
        out.print(loaded.model().summary(Shapes.withBatch(1, loaded.inputShape())));
        out.flush(); // print() does not flush, and the program exits right after
        return 0;
    }
}
