package io.ukiyoe.cli;

import io.ukiyoe.graphs.model.ParameterCounts;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code ukiyoe inspect}: config, parameter counts and every tensor of a model. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's config, parameter counts and each tensor's name, shape and sum.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file or checkpoint.")
    Path model;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var network = NetworkFiles.registered(model);
        if (network != null) {
            return inspectNetwork(network);
        }
        StyleGanModel m = Models.load(model);
        ParameterCounts c = ParameterCounts.of(m);
        var out = spec.commandLine().getOut();
        String config = StyleGanModel.configJson(m.config());
        if (json) {
            var mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            ObjectNode root = mapper.createObjectNode();
            root.set("config", mapper.readTree(config));
            ObjectNode p = root.putObject("parameters");
            p.put("mapping", c.mapping());
            p.put("synthesis", c.synthesis());
            p.put("discriminator", c.discriminator());
            p.put("buffers", c.buffers());
            ObjectNode meta = root.putObject("metadata");
            m.metadata().forEach(meta::put);
            putTensors(root, m.tensors());
            out.println(mapper.writeValueAsString(root));
        } else {
            out.println("config: " + config);
            out.printf("parameters: mapping %,d  synthesis %,d  discriminator %,d  (buffers %,d)%n", c.mapping(),
                    c.synthesis(), c.discriminator(), c.buffers());
            m.metadata().forEach((k, v) -> {
                if (!k.equals("provenance")) {
                    out.println(k + ": " + v);
                }
            });
            out.println();
            printTensors(out, m.tensors());
        }
        out.flush();
        return 0;
    }

    /** A model file of a registered network family (pix2pixHD, ...): its description, metadata and tensors. */
    private int inspectNetwork(io.ukiyoe.graphs.model.NetworkFile f) {
        var out = spec.commandLine().getOut();
        String description = io.ukiyoe.graphs.model.NetworkFamilies.forFormat(f.format()).orElseThrow().describe(f);
        if (json) {
            var mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            ObjectNode root = mapper.createObjectNode();
            root.put("format", f.format());
            root.put("description", description);
            root.set("config", mapper.readTree(f.configJson()));
            ObjectNode meta = root.putObject("metadata");
            f.metadata().forEach(meta::put);
            putTensors(root, f.tensors());
            out.println(mapper.writeValueAsString(root));
        } else {
            out.println(description);
            out.println("config: " + f.configJson());
            f.metadata().forEach((k, v) -> out.println(k + ": " + v));
            out.println();
            printTensors(out, f.tensors());
        }
        out.flush();
        return 0;
    }

    private static void putTensors(ObjectNode root, java.util.Map<String, io.ukiyoe.core.io.Tensor> tensors) {
        var list = root.putArray("tensors");
        tensors.forEach((k, t) -> {
            ObjectNode n = list.addObject();
            n.put("name", k);
            var shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            n.put("sum", t.sum());
        });
    }

    private static void printTensors(java.io.PrintWriter out, java.util.Map<String, io.ukiyoe.core.io.Tensor> tensors) {
        int width = tensors.keySet().stream().mapToInt(String::length).max().orElse(10);
        tensors.forEach((k, t) -> out.printf("%-" + width + "s  %-18s  %.6g%n", k, t.shapeString(), t.sum()));
    }
}
