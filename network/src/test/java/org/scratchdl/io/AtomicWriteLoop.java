package org.scratchdl.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.tensor.Tensor;

/**
 * The child process of {@link KilledWriterTest}: rewrites a model, a JSON report and a checkpoint
 * in a folder, over and over, until it is killed. Each round {@code k} writes all three with
 * {@code k} in them, then prints {@code wrote k}, so that the parent knows which rounds finished.
 *
 * <p>Arguments: the folder, and the number of the first round.
 */
public final class AtomicWriteLoop {
    /** The model file's name. */
    static final String MODEL = "model.safetensors";
    /** The report's name. */
    static final String REPORT = "report.json";
    /** The checkpoint's name. */
    static final String CHECKPOINT = "checkpoint.safetensors";
    /** The seed of the model's weights. */
    static final long SEED = 3;
    /** Elements of the checkpoint's tensor. */
    static final int CHECKPOINT_SIZE = 200_000;
    /** Entries of the report's list. */
    static final int REPORT_ENTRIES = 2_000;

    private AtomicWriteLoop() {
    }

    /**
     * Writes until killed.
     *
     * @param args the folder and the first round number
     * @throws IOException if a write fails
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        Sequential model = SimpleConvNet.create(SEED);
        List<Parameter> parameters = model.parameters();
        float[] firstValues = parameters.get(0).value().data();
        float[] lastValues = parameters.get(parameters.size() - 1).value().data();
        ObjectMapper json = new ObjectMapper();
        System.out.println("started");
        for (long k = first; ; k++) {
            // The round number at both ends of the data section: a file cut short cannot hold both.
            firstValues[0] = k;
            lastValues[lastValues.length - 1] = k;
            ModelFile.save(dir.resolve(MODEL), model, new int[] {1, 28, 28}, Map.of("round", Long.toString(k)));

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("round", k);
            report.put("entries", java.util.Collections.nCopies(REPORT_ENTRIES, k));
            report.put("status", "complete");
            AtomicFile.write(dir.resolve(REPORT), json.writeValueAsBytes(report));

            Tensor state = Tensor.zeros(CHECKPOINT_SIZE);
            java.util.Arrays.fill(state.data(), k);
            SafeTensors.write(dir.resolve(CHECKPOINT), Map.of("state", state), Map.of("round", Long.toString(k)));

            System.out.println("wrote " + k);
        }
    }
}
