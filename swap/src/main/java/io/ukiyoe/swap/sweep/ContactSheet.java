package io.ukiyoe.swap.sweep;

import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.swap.Blender;
import io.ukiyoe.swap.Schedule;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The blend sweep's contact sheet: its top-k blends on the same four seeds, one labelled row each. */
public final class ContactSheet {
    public static final String FILE = "contact-sheet.png";

    private ContactSheet() {}

    /** Rows of the best {@code c.topK()} finished candidates (failed ones skipped), best first. */
    public static BufferedImage of(StyleGanModel base, StyleGanModel target, List<SweepResults.Row> results, SweepConfig c) {
        List<Long> seeds = c.seeds().values().subList(0, Math.min(4, c.seeds().size()));
        int res = base.config().resolution();
        List<List<BufferedImage>> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<SweepResults.Row> ranked = SweepResults.ranked(results).stream().filter(x -> x.status().equals("ok"))
                .limit(c.topK()).toList();
        for (SweepResults.Row row : ranked) {
            Schedule schedule = SweepRunner.parse(row.schedule());
            Generator g = new Generator(Blender.blend(base, target, SweepScorer.options(c, schedule), Map.of()).model());
            List<BufferedImage> cells = new ArrayList<>();
            SeedImages.generate(g, seeds, c.truncation(), 8, img -> cells.add(Images.toImage(
                    Nd4j.create(img, new long[] {3, res, res}, DataType.FLOAT))));
            rows.add(cells);
            labels.add(String.format(Locale.ROOT, "#%d %s\nobjective %.3f  SWD %.2f  corr16 %.3f", row.index(),
                    schedule.describe(), row.objective(), row.swd(), row.correlation16()));
        }
        return Images.labelledRows(rows, labels);
    }
}
