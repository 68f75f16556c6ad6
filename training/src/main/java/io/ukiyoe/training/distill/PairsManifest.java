package io.ukiyoe.training.distill;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pairs.json}: what a pairs folder was made from (the inputs' SHA-256 and every setting that
 * changes a byte) and which shards are complete. It holds no times, so an interrupted and resumed run
 * ends with the same manifest as an uninterrupted one; a resume with other inputs or settings is refused.
 *
 * @param identity    inputs and settings, compared on resume
 * @param shards      shards of the whole run
 * @param shardsDone  the complete shards, in order (always shards 0 .. n-1)
 */
public record PairsManifest(ObjectNode identity, int shards, List<Shard> shardsDone) {
    public static final String FILE = "pairs.json";
    public static final String FORMAT = "ukiyoe.pairs";
    public static final int FORMAT_VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public PairsManifest {
        shardsDone = List.copyOf(shardsDone);
    }

    /**
     * One complete shard.
     *
     * @param index     shard number
     * @param firstSeed seed of its first pair
     * @param pairs     pairs rendered
     * @param written   pairs written (the rest were dropped by the filter)
     * @param dropped   seeds the filter dropped
     * @param latents   its latents file, relative to the folder
     */
    public record Shard(int index, long firstSeed, int pairs, int written, List<Long> dropped, String latents) {
        public Shard {
            dropped = List.copyOf(dropped);
        }
    }

    /** Inputs (path as given and SHA-256) and settings of a run of config {@code c}. */
    static ObjectNode expected(PairsConfig c, Path base, Path blended, int size, int resolution) {
        ObjectNode id = JSON.createObjectNode();
        id.put("format", FORMAT);
        id.put("format_version", FORMAT_VERSION);
        ObjectNode inputs = id.putObject("inputs");        // compared on resume by content, wherever the files are now
        inputs.putObject("base").put("sha256", Hashing.sha256(base));
        inputs.putObject("blended").put("sha256", Hashing.sha256(blended));
        id.putObject("input_files").put("base", base.toString()).put("blended", blended.toString());
        ObjectNode s = id.putObject("settings");
        s.put("seeds", c.seeds().text());
        s.put("pairs", c.seeds().size());
        s.put("truncation", c.truncation());
        s.put("noise", c.noise().name().toLowerCase(Locale.ROOT));
        s.put("noise_maps", switch (c.noise()) {
            case CONST -> "the base's constant maps, for A and B";
            case RANDOM -> "drawn from the seed (generate --noise random), for A and B";
            case NONE -> "none";
        });
        s.put("resolution", resolution);
        s.put("size", size);
        s.put("resize", size == resolution ? "none" : "lanczos3");
        s.put("shard_size", c.shardSize());
        s.put("batch", c.batch());
        if (c.filter() == null) {
            s.putNull("min_structure");
        } else {
            s.put("min_structure", c.filter().minStructure());
        }
        id.put("layout", PairsJob.DIR_A + "/NNNNNN.png (base, named after the seed), " + PairsJob.DIR_B
                + "/NNNNNN.png (blended), " + PairsJob.LATENTS + "/shard-KKKKK.npy (float32 z [written, z_dim] of the "
                + "shard's written pairs in name order)");
        return id;
    }

    /**
     * The manifest of {@code out}: a new one for a new or empty folder, or the folder's own when it was
     * made with the same inputs and settings; anything else is a one-line error.
     */
    static PairsManifest open(Path out, ObjectNode identity) {
        int pairs = identity.path("settings").path("pairs").asInt();
        int shardSize = identity.path("settings").path("shard_size").asInt();
        int shards = (pairs + shardSize - 1) / shardSize;
        Path file = out.resolve(FILE);
        if (!Files.exists(file)) {
            if (Files.isDirectory(out) && !isEmpty(out)) {
                throw new UserError(out + ": exists, is not empty and has no " + FILE + " (not a pairs folder; give a new out)");
            }
            return new PairsManifest(identity, shards, List.of());
        }
        PairsManifest old = read(file);
        for (String part : List.of("format", "format_version", "inputs", "settings")) {
            if (!old.identity().path(part).equals(identity.path(part))) {
                throw new UserError(file + ": this folder was made with other " + part + " (" + difference(
                        old.identity().path(part), identity.path(part)) + "); give a new out, or the same config to resume");
            }
        }
        return new PairsManifest(identity, shards, old.shardsDone());
    }

    private static String difference(JsonNode was, JsonNode now) {
        if (was.isObject() && now.isObject()) {
            for (var e : now.properties()) {
                JsonNode w = was.path(e.getKey());
                if (!w.equals(e.getValue())) {
                    return e.getKey() + " was " + w + ", now " + e.getValue();
                }
            }
        }
        return "was " + was + ", now " + now;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    /** Reads a pairs.json (also for the trainer, which needs the settings). */
    public static PairsManifest read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new UserError(file + ": not a valid " + FILE + " (" + e.getOriginalMessage() + ")");
        }
        if (!root.isObject() || !FORMAT.equals(root.path("format").asString(null))) {
            throw new UserError(file + ": not a pairs manifest (no format '" + FORMAT + "')");
        }
        List<Shard> done = new ArrayList<>();
        for (JsonNode s : root.path("shards_done")) {
            List<Long> dropped = new ArrayList<>();
            s.path("dropped").forEach(d -> dropped.add(d.asLong()));
            done.add(new Shard(s.path("shard").asInt(), s.path("first_seed").asLong(), s.path("pairs").asInt(),
                    s.path("written").asInt(), dropped, s.path("latents").asString("")));
        }
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i).index() != i) {
                throw new UserError(file + ": shards_done is not shards 0.." + (done.size() - 1) + " in order");
            }
        }
        ObjectNode identity = ((ObjectNode) root).deepCopy();
        identity.remove(List.of("shards", "shards_done", "complete", "pairs_written", "pairs_dropped"));
        return new PairsManifest(identity, root.path("shards").asInt(), done);
    }

    PairsManifest withShard(Shard s) {
        List<Shard> done = new ArrayList<>(shardsDone);
        done.add(s);
        return new PairsManifest(identity, shards, done);
    }

    /** Writes {@code pairs.json} atomically: after it, the shards it lists are complete. */
    void write(Path out) {
        ObjectNode root = identity.deepCopy();
        root.put("shards", shards);
        root.put("complete", shardsDone.size() == shards);
        root.put("pairs_written", shardsDone.stream().mapToLong(Shard::written).sum());
        root.put("pairs_dropped", shardsDone.stream().mapToLong(s -> s.dropped().size()).sum());
        ArrayNode done = root.putArray("shards_done");
        for (Shard s : shardsDone) {
            ObjectNode o = done.addObject();
            o.put("shard", s.index());
            o.put("first_seed", s.firstSeed());
            o.put("pairs", s.pairs());
            o.put("written", s.written());
            ArrayNode d = o.putArray("dropped");
            s.dropped().forEach(d::add);
            o.put("latents", s.latents());
        }
        try {
            AtomicFiles.writeString(out.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UserError(out.resolve(FILE) + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
