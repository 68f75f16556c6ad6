package io.ukiyoe.cli;

import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.training.project.PerceptualLoss;
import io.ukiyoe.training.project.ProjectJob;
import io.ukiyoe.training.project.ProjectionTargets;
import io.ukiyoe.training.project.Projector;
import io.ukiyoe.training.project.ToonifyJob;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe toonify}: photo -> (align) -> projection into the base -> the same latent through the blended model. */
@Command(name = "toonify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Project photos into the base model and render the latents and noise maps with the blended model: "
                + "NAME-ukiyoe.png and NAME-grid.png (target | projection | blended), plus the project outputs.")
final class ToonifyCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "BASE", description = "The model projected into (e.g. FFHQ).")
    Path base;

    @Option(names = "--blended", required = true, paramLabel = "BLENDED", description = "The blended model that renders the latents.")
    Path blended;

    @Option(names = "--images", required = true, paramLabel = "PHOTOS", description = "Photo file, folder or .zip.")
    Path images;

    @Mixin
    ProjectionOptions options = new ProjectionOptions();

    @Mixin
    ForceOption force = new ForceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        options.check(true);
        StyleGanModel b = Models.load(base);
        StyleGanModel bl = Models.load(blended);
        PerceptualLoss loss = options.loss();
        var err = spec.commandLine().getErr();
        Projector projector = Quiet.call(spec, () -> new Projector(b, loss, options.settings(null)));
        Path source = options.alignedIfAsked(images, b.config().resolution(), err);
        List<ProjectionTargets.Target> targets = ProjectionTargets.load(source, projector.targetSize());
        List<Path> outputs = new java.util.ArrayList<>(ProjectJob.allOutputs(options.out, targets, options.video));
        outputs.addAll(ToonifyJob.outputs(options.out, targets));
        force.check(outputs.toArray(Path[]::new));
        err.println("toonify: projecting " + targets.size() + " image(s) with " + loss.describe());
        ToonifyJob.run(projector, b, bl, targets, new ProjectJob.Options(null, null, options.out, options.video, force.force),
                ProjectionOptions.progress(err, targets.stream().map(ProjectionTargets.Target::name).toList()));
        var o = spec.commandLine().getOut();
        for (ProjectionTargets.Target t : targets) {
            o.println(t.name() + ": " + options.out.resolve(t.name() + "-ukiyoe.png"));
        }
        return 0;
    }
}
