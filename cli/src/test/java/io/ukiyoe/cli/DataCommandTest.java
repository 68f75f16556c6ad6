package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path dir;

    @Test
    void synthPrepareAndRead() throws Exception {
        Path faces = dir.resolve("faces");
        CliRun s = CliRun.of("data", "synth", "--domain", "ukiyoe", "--n", "12", "--size", "48", "--seed", "5", "--out",
                faces.toString());
        assertEquals(0, s.exit(), s.err());
        assertTrue(Files.exists(faces.resolve("labels.csv")));
        Path zip = dir.resolve("set.zip");
        CliRun p = CliRun.of("data", "prepare", "--images", faces.toString(), "--resolution", "32", "--out", zip.toString());
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().startsWith("prepared 12 images at 32 px"), p.out());
        CliRun r = CliRun.of("data", "read", "--images", zip.toString(), "--resolution", "32", "--batch", "4");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("images/s"), r.out());
        assertEquals(2, CliRun.of("data", "synth", "--domain", "anime", "--n", "1", "--out", "x").exit());
    }

    @Test
    void alignFromRekognitionJsonWithAReport() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "3", "--size", "160", "--seed", "2", "--out",
                faces.toString()).exit());
        List<String> labels = Files.readAllLines(faces.resolve("labels.csv"));
        StringBuilder json = new StringBuilder("{");
        for (int i = 1; i < labels.size(); i++) {
            String[] c = labels.get(i).split(",");
            double w = 160;
            // face00001: Rekognition-style "left" = the person's left (image right): the reader must swap
            boolean swap = i == 2;
            String eyeL = point(swap ? c[10] : c[8], swap ? c[11] : c[9], w);
            String eyeR = point(swap ? c[8] : c[10], swap ? c[9] : c[11], w);
            String face = "{\"Landmarks\":[{\"Type\":\"eyeLeft\"," + eyeL + "},{\"Type\":\"eyeRight\"," + eyeR
                    + "},{\"Type\":\"mouthLeft\"," + point(c[12], c[13], w) + "},{\"Type\":\"mouthRight\","
                    + point(c[14], c[15], w) + "},{\"Type\":\"nose\",\"X\":0.5,\"Y\":0.5}]}";
            if (i == 3) { // a second, tiny face in the same picture: skipped as too small
                face += ",{\"Landmarks\":[{\"Type\":\"eyeLeft\",\"X\":0.10,\"Y\":0.10},{\"Type\":\"eyeRight\",\"X\":0.12,"
                        + "\"Y\":0.10},{\"Type\":\"mouthLeft\",\"X\":0.105,\"Y\":0.12},{\"Type\":\"mouthRight\",\"X\":0.115,"
                        + "\"Y\":0.12}]}";
            }
            json.append(i > 1 ? "," : "").append('"').append(c[0]).append("\":{\"FaceDetails\":[").append(face).append("]}");
        }
        json.append('}');
        Path lm = dir.resolve("landmarks.json");
        Files.writeString(lm, json.toString());
        Path out = dir.resolve("aligned");
        CliRun r = CliRun.of("data", "align", "--images", faces.toString(), "--landmarks", lm.toString(), "--format",
                "rekognition", "--size", "64", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("aligned 3 faces from 3 images"), r.out());
        List<String> report = Files.readAllLines(out.resolve("align-report.csv"));
        assertEquals("image,face,status,output,reason,upscaled", report.get(0));
        assertTrue(report.stream().anyMatch(l -> l.startsWith("face00002.png,1,skipped,,face too small")), report.toString());
        assertTrue(Files.exists(out.resolve("face00001.png")));
        assertTrue(Files.exists(out.resolve("face00002_0.png")));
        CliRun bad = CliRun.of("data", "align", "--images", faces.toString(), "--landmarks", lm.toString(), "--format",
                "openpose", "--out", out.toString());
        assertEquals(2, bad.exit());
    }

    private static String point(String x, String y, double size) {
        return String.format(Locale.ROOT, "\"X\":%.6f,\"Y\":%.6f", Double.parseDouble(x) / size, Double.parseDouble(y) / size);
    }
}
