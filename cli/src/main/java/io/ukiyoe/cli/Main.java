package io.ukiyoe.cli;

import io.ukiyoe.core.BuildInfo;
import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.IoErrors;
import io.ukiyoe.core.run.Provenance;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code ukiyoe} command. */
@Command(name = "ukiyoe",
        description = "StyleGAN2 fine-tuning and layer blending, image-to-image networks (pix2pixHD, CycleGAN, ESRGAN), "
                + "face detection, projection and toonify (LPIPS), distillation into a pix2pixHD student and metrics on DL4J/SameDiff.",
        versionProvider = Main.Versions.class,
        subcommands = {DemoCommand.class, CheckCommand.class, ImportCommand.class, GenerateCommand.class,
                DiscriminateCommand.class, InspectCommand.class, ExportCommand.class, BlendCommand.class, SweepCommand.class, TrainCommand.class, VideoCommand.class, DataCommand.class, EvalCommand.class, GradsCommand.class, BenchCommand.class, P2pCommand.class, TranslateCommand.class, CycleGanCommand.class, DistillCommand.class, ProjectCommand.class, ToonifyCommand.class,
                CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true,
        footer = {"", "Run 'ukiyoe COMMAND --help' for a command's options."})
public final class Main implements Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true,
            description = "Print the ukiyoe, DL4J and backend versions and exit.")
    boolean version;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More output: progress details and library logging.")
    boolean verbose;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        NativeBuild.select();          // before ND4J loads: the AVX-512 build where the CPU has it
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 invalid config or usage). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        boolean verbose = debug || Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        configureLogging(verbose, debug);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        registerFiniteNumbers(cl);
        cl.setParameterExceptionHandler((ex, params) -> {
            if (debug) {
                ex.printStackTrace(err);
            }
            err.println("ukiyoe: " + usageError(ex));
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (debug) {
                ex.printStackTrace(err);
            }
            Throwable t = ex;
            while (!(t instanceof UserError) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t instanceof UserError ue) {
                err.println(ue.getMessage());
                return ue.exitCode();
            }
            java.io.IOException io = IoErrors.find(ex);
            if (io != null) {
                err.println("ukiyoe: " + IoErrors.describe(io));
                return 1;
            }
            err.println("ukiyoe: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (Throwable t) { // Errors (e.g. a missing native library) bypass picocli's handler
            if (debug) {
                t.printStackTrace(err);
            }
            err.println("ukiyoe: internal error: " + t + (debug ? "" : " (run with --debug for the stack trace)"));
            return 1;
        }
    }

    /**
     * Every floating-point option is parsed here, once: NaN and infinities (in any spelling Java or
     * Python writes them) are refused like any other invalid value.
     */
    static void registerFiniteNumbers(CommandLine cl) {
        CommandLine.ITypeConverter<Double> doubles = text -> {
            double v;
            try {
                v = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
            }
            if (!Double.isFinite(v)) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
            }
            return v;
        };
        CommandLine.ITypeConverter<Float> floats = text -> {
            double v = doubles.convert(text);
            if (Math.abs(v) > Float.MAX_VALUE) {
                throw new CommandLine.TypeConversionException("'" + text + "' is out of range");
            }
            return (float) v;
        };
        cl.registerConverter(Double.class, doubles);
        cl.registerConverter(double.class, doubles);
        cl.registerConverter(Float.class, floats);
        cl.registerConverter(float.class, floats);
    }

    /** A command-line mistake as one line, with picocli's suggestions and where to read more. */
    static String usageError(CommandLine.ParameterException ex) {
        StringBuilder b = new StringBuilder(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            b.append(" (did you mean ").append(String.join(" or ", u.getSuggestions().stream().limit(3)
                    .map(x -> "'" + x + "'").toList())).append("?)");
        }
        return b.append("; see '").append(ex.getCommandLine().getCommandSpec().qualifiedName())
                .append(" --help'").toString();
    }

    /** ND4J logs its start-up banner at INFO: keep stdout and stderr quiet unless asked. */
    static void configureLogging(boolean verbose, boolean debug) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        if (!debug) { // ND4J warns about its own op registry ("Duplicate TF op mapping") when it first builds a graph
            System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", "error");
        }
        if (!debug) { // SameDiff warns about an unused Pad attribute every time it differentiates a pad
            System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.autodiff.functions.DifferentialFunction", "error");
        }
        if (!debug) { // --spark: Spark's notes on host names and Hadoop's native library are not the user's concern
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark.util.Utils", "error");
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
        }
    }

    /** {@code --version}: project, DL4J and backend versions (loads ND4J to report the real backend). */
    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return List.of(
                    "ukiyoe " + BuildInfo.projectVersion(),
                    "DL4J/ND4J " + BuildInfo.dl4jVersion(),
                    "backend " + Provenance.loadedBackend() + " [" + BuildInfo.backendArtifact() + "]",
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            ).toArray(String[]::new);
        }
    }
}
