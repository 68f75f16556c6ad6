package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the event file back as TensorBoard would: TFRecord framing with checksums, then the protobufs. */
class TensorBoardEventsTest {
    @TempDir
    Path dir;

    @Test
    void maskedCrcMatchesTensorFlowsDefinition() {
        // CRC-32C("123456789") = 0xE3069283 (the standard check value); masked = rotr15 + 0xa282ead8
        int crc = 0xE3069283;
        int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
        assertEquals(masked, TensorBoardEvents.maskedCrc("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void scalarsReadBack() throws Exception {
        Path file;
        try (TensorBoardEvents tb = new TensorBoardEvents(dir)) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("Loss/D", 1.25);
            v.put("Loss/r1", Double.NaN);
            v.put("Loss/G", -0.5);
            tb.scalars(7, v);
            tb.scalars(300, Map.of("Progress/kimg", 2.4));
            file = tb.file();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        List<byte[]> records = records(file);
        assertEquals(3, records.size());
        String first = new String(records.get(0), StandardCharsets.ISO_8859_1);
        assertTrue(first.contains("brain.Event:2"));
        Map<String, Float> values = new LinkedHashMap<>();
        long step = decodeEvent(records.get(1), values);
        assertEquals(7, step);
        assertEquals(Map.of("Loss/D", 1.25f, "Loss/G", -0.5f), values, "NaN values are skipped");
        values.clear();
        assertEquals(300, decodeEvent(records.get(2), values));
        assertEquals(2.4f, values.get("Progress/kimg"));
    }

    /** Minimal protobuf decoding of Event{1: double, 2: int64, 5: Summary{1: Value{1: string, 2: float}}}. */
    static long decodeEvent(byte[] e, Map<String, Float> values) {
        ByteBuffer b = ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN);
        long step = -1;
        while (b.hasRemaining()) {
            long key = varint(b);
            switch ((int) key) {
                case (1 << 3) | 1 -> assertTrue(b.getDouble() > 1.7e9, "wall time in seconds");
                case (2 << 3) -> step = varint(b);
                case (5 << 3) | 2 -> {
                    ByteBuffer s = sub(b);
                    while (s.hasRemaining()) {
                        assertEquals((1 << 3) | 2, varint(s));
                        ByteBuffer v = sub(s);
                        assertEquals((1 << 3) | 2, varint(v));
                        ByteBuffer tag = sub(v);
                        String name = new String(Arrays.copyOfRange(tag.array(), tag.arrayOffset() + tag.position(),
                                tag.arrayOffset() + tag.limit()), StandardCharsets.UTF_8);
                        assertEquals((2 << 3) | 5, varint(v));
                        values.put(name, v.getFloat());
                    }
                }
                default -> throw new AssertionError("unexpected field key " + key);
            }
        }
        return step;
    }

    private static ByteBuffer sub(ByteBuffer b) {
        int n = (int) varint(b);
        ByteBuffer s = b.slice(b.position(), n).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.position() + n);
        return s;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }

    @Test
    void truncationKeepsTheEventsUpToAStep() throws Exception {
        Path file;
        try (TensorBoardEvents tb = new TensorBoardEvents(dir)) {
            for (int step = 1; step <= 5; step++) {
                tb.scalars(step, Map.of("Loss/D", (double) step));
            }
            file = tb.file();
        }
        // a torn record at the end, as a killed run may leave
        Files.write(file, new byte[] {9, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        TensorBoardEvents.truncateAfter(dir, 3);
        List<Long> steps = new ArrayList<>();
        for (byte[] payload : records(file)) {
            steps.add(TensorBoardEvents.stepOf(payload));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), steps, "file version event, then steps 1-3");
    }

    /** Every record's payload, each checked against the TFRecord framing (length, masked CRC-32C of length and data). */
    static List<byte[]> records(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            assertEquals(TensorBoardEvents.maskedCrc(len), b.getInt(), "length checksum");
            byte[] payload = new byte[(int) ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            b.get(payload);
            assertEquals(TensorBoardEvents.maskedCrc(payload), b.getInt(), "payload checksum");
            records.add(payload);
        }
        return records;
    }

    /** A training step's scalars under stylegan2-ada's tags, read back through the framing and the protobufs. */
    @Test
    void stepScalarsCarryStylegan2AdasTags() throws Exception {
        TrainConfig.Training t = new TrainConfig.Training(1, 8, 0.002, 10, 16, 2, 4, 2, 0.01, 0.9, 10, null,
                new TrainConfig.Augmentation(TrainConfig.AugmentMode.ADA, 0, 0.6, 4, 500, Augment.Pipe.BGC));
        Path file;
        try (TensorBoardEvents tb = new TensorBoardEvents(dir)) {
            tb.scalars(4, TensorBoardTags.step(new TrainerCore.StepLosses(1.5, 0.75, 0.02, 0.9, 0.04, 0.125), t, 0.032, 40));
            tb.scalars(5, TensorBoardTags.step(new TrainerCore.StepLosses(1.25, 0.5, Double.NaN, Double.NaN, Double.NaN,
                    0.125), t, 0.040, 40));
            tb.scalars(6, Map.of(TensorBoardTags.metricTag("fid", 50000), 12.5,
                    TensorBoardTags.metricTag("kid_x1e3", 1000), TensorBoardTags.metricValue("kid_x1e3", 3.0)));
            file = tb.file();
        }
        List<byte[]> records = records(file);
        assertEquals(4, records.size());
        Map<String, Float> v = new LinkedHashMap<>();
        assertEquals(4, decodeEvent(records.get(1), v));
        Map<String, Float> expected = new LinkedHashMap<>();
        expected.put("Loss/D/loss", 1.5f);
        expected.put("Loss/G/loss", 0.75f);
        expected.put("Loss/r1_penalty", 0.02f);
        expected.put("Loss/D/reg", 0.1f);
        expected.put("Loss/pl_penalty", 0.04f);
        expected.put("Loss/G/reg", 0.08f);
        expected.put("Loss/pl_length", 0.9f);
        expected.put("Progress/kimg", 0.032f);
        expected.put("Progress/augment", 0.125f);
        expected.put("Timing/sec_per_kimg", 25f);
        assertEquals(expected, v);
        v.clear();
        assertEquals(5, decodeEvent(records.get(2), v));
        assertEquals(java.util.Set.of("Loss/D/loss", "Loss/G/loss", "Progress/kimg", "Progress/augment",
                "Timing/sec_per_kimg"), v.keySet(), "terms not computed this step are absent");
        v.clear();
        decodeEvent(records.get(3), v);
        assertEquals(Map.of("Metrics/fid50k_full", 12.5f, "Metrics/kid1k_full", 0.003f), v);
    }
}
