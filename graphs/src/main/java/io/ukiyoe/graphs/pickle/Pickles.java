package io.ukiyoe.graphs.pickle;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;

/**
 * Reads the pickle-based checkpoint formats without executing anything from the file:
 * {@code torch.save} zip archives, legacy {@code torch.save} streams (also nested inside
 * stylegan2-ada pickles), and plain pickles (stylegan2-ada / stylegan3 snapshots, official
 * TensorFlow StyleGAN2 pickles). Tensors come back as {@link TorchTensor} or numpy arrays as
 * {@link PyObject}s; convert them with {@link #tensor(Object)}.
 */
public final class Pickles {
    static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final Map<String, TorchStorage.Type> STORAGES = new HashMap<>();

    static {
        for (Object[] s : new Object[][] {{"FloatStorage", 4}, {"DoubleStorage", 8}, {"HalfStorage", 2},
                {"BFloat16Storage", 2}, {"LongStorage", 8}, {"IntStorage", 4}}) {
            STORAGES.put("torch." + s[0], new TorchStorage.Type((String) s[0], (Integer) s[1]));
        }
    }

    private Pickles() {}

    /** What a file turned out to be. */
    public enum Container { TORCH_ZIP, TORCH_LEGACY, PICKLE }

    /** The unpickled root object and the container it came in. */
    public record Loaded(Object root, Container container) {}

    /** Loads any supported pickle-based file; errors are one-line {@link UserError}s naming the file. */
    public static Loaded load(Path file) {
        try {
            byte[] head = new byte[4];
            long size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                int n = in.readNBytes(head, 0, 4);
                if (n < 2) {
                    throw new UserError(file + ": empty or truncated file");
                }
            }
            if (head[0] == 'P' && head[1] == 'K') {
                return new Loaded(loadZip(file, size), Container.TORCH_ZIP);
            }
            if ((head[0] & 0xff) != 0x80) {
                throw new UserError(file + ": not a pickle or torch checkpoint (unrecognised magic bytes)");
            }
            try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                BoundedInput in = new BoundedInput(raw, size);
                Object first = unpickler(null).load(in, size);
                if (LEGACY_MAGIC.equals(first)) {
                    return new Loaded(loadLegacyRest(in), Container.TORCH_LEGACY);
                }
                return new Loaded(first, Container.PICKLE);
            }
        } catch (SafeUnpickler.Refused e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", e);
        } catch (EOFException e) {
            throw new UserError(file + ": truncated file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SafeUnpickler unpickler(java.util.function.Function<Object, Object> persistent) {
        return new SafeUnpickler(ALLOWED, persistent);
    }

    // ---- torch.save zip ------------------------------------------------------------------------

    private static Object loadZip(Path file, long size) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            if (!entries.hasMoreElements()) {
                throw new UserError(file + ": empty zip archive");
            }
            String first = entries.nextElement().getName();
            int slash = first.indexOf('/');
            if (slash < 0) {
                throw new UserError(file + ": not a torch.save archive (no top-level folder)");
            }
            String prefix = first.substring(0, slash + 1);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            if (pkl == null) {
                throw new UserError(file + ": not a torch.save archive (no " + prefix + "data.pkl)");
            }
            Map<String, TorchStorage> storages = new HashMap<>();
            SafeUnpickler u = unpickler(pid -> {
                Object[] t = persistentId(pid);
                String key = String.valueOf(t[2]);
                TorchStorage s = storages.get(key);
                if (s == null) {
                    s = new TorchStorage(storageType(t[1]), toLong(t[4]), key);
                    ZipEntry data = zip.getEntry(prefix + "data/" + key);
                    if (data == null) {
                        throw new SafeUnpickler.Refused("storage " + key + " is missing from the archive");
                    }
                    long need = s.numel * s.type.elementSize();
                    if (need > size) {   // e.g. a deflate bomb: never inflate more than the file could hold
                        throw new SafeUnpickler.Refused("storage " + key + " declares " + s.numel + " elements ("
                                + need + " bytes), more than the whole " + size + "-byte file");
                    }
                    if (data.getSize() < need) {
                        throw new SafeUnpickler.Refused("storage " + key + " declares " + s.numel + " elements ("
                                + need + " bytes), its archive entry holds " + data.getSize() + " bytes");
                    }
                    try (java.util.zip.CheckedInputStream in = new java.util.zip.CheckedInputStream(
                            zip.getInputStream(data), new java.util.zip.CRC32())) {
                        byte[] bytes = in.readNBytes((int) need);
                        if (bytes.length != need) {
                            throw new SafeUnpickler.Refused("storage " + key + " is truncated");
                        }
                        in.skip(Long.MAX_VALUE);            // the checksum covers the whole entry
                        s.setData(bytes);
                        // ZipFile does not check the CRC-32 of stored (uncompressed) entries, as torch writes them
                        s.damaged = data.getCrc() != -1 && in.getChecksum().getValue() != data.getCrc();
                    } catch (IOException e) {
                        throw new SafeUnpickler.Refused("cannot read storage " + key + ": " + e.getMessage());
                    }
                    storages.put(key, s);
                }
                return s;
            });
            try (java.util.zip.CheckedInputStream in = new java.util.zip.CheckedInputStream(zip.getInputStream(pkl),
                    new java.util.zip.CRC32())) {
                Object root = u.load(in, Math.min(pkl.getSize() < 0 ? size : pkl.getSize(), size));
                in.skip(Long.MAX_VALUE);
                if (pkl.getCrc() != -1 && in.getChecksum().getValue() != pkl.getCrc()) {
                    throw new UserError(file + ": damaged archive: " + pkl.getName() + " fails its CRC-32");
                }
                return root;
            }
        } catch (ZipException e) {
            throw new UserError(file + ": corrupt zip archive: " + e.getMessage(), e);
        }
    }

    // ---- legacy torch.save stream --------------------------------------------------------------

    /** The rest of a legacy stream after its magic number: version, sys info, object, keys, data. */
    private static Object loadLegacyRest(BoundedInput in) throws IOException {
        Object version = unpickler(null).load(in, in.remaining());
        if (!(version instanceof Number v) || v.longValue() != 1001) {
            throw new SafeUnpickler.Refused("unsupported legacy torch protocol version " + version);
        }
        Object sysInfo = unpickler(null).load(in, in.remaining());
        if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new SafeUnpickler.Refused("big-endian torch files are not supported");
        }
        Map<String, TorchStorage> storages = new LinkedHashMap<>();
        Object root = unpickler(pid -> {
            Object[] t = persistentId(pid);
            String key = String.valueOf(t[2]);
            if (t.length > 5 && t[5] != null) {
                throw new SafeUnpickler.Refused("storage views (view_metadata) are not supported");
            }
            return storages.computeIfAbsent(key, k -> new TorchStorage(storageType(t[1]), toLong(t[4]), k));
        }).load(in, in.remaining());
        Object keys = unpickler(null).load(in, in.remaining());
        if (!(keys instanceof List<?> keyList)) {
            throw new SafeUnpickler.Refused("legacy storage key list missing");
        }
        for (Object k : keyList) {
            TorchStorage s = storages.get(String.valueOf(k));
            if (s == null) {
                throw new SafeUnpickler.Refused("legacy data for unknown storage " + k);
            }
            byte[] n = in.readExactly(8);
            long numel = ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (numel != s.numel) {
                throw new SafeUnpickler.Refused("storage " + k + " declares " + s.numel + " elements, its data "
                        + numel);
            }
            long bytes = numel * s.type.elementSize();
            if (numel < 0 || bytes > in.remaining() || bytes > Integer.MAX_VALUE - 8) {
                throw new SafeUnpickler.Refused("storage " + k + " needs " + bytes + " bytes, only "
                        + in.remaining() + " are left");
            }
            s.setData(in.readExactly((int) bytes));
        }
        for (TorchStorage s : storages.values()) {
            if (s.data == null) {
                throw new SafeUnpickler.Refused("storage " + s.key + " has no data");
            }
        }
        return root;
    }

    /** torch.storage._load_from_bytes: a nested legacy (or zip) torch.save of one storage. */
    private static Object loadFromBytes(byte[] blob) {
        try {
            if (blob.length >= 2 && blob[0] == 'P' && blob[1] == 'K') {
                Path tmp = Files.createTempFile("ukiyoe-storage", ".pt");
                try {
                    Files.write(tmp, blob);
                    return loadZip(tmp, blob.length);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            BoundedInput in = new BoundedInput(new ByteArrayInputStream(blob), blob.length);
            Object magic = unpickler(null).load(in, blob.length);
            if (!LEGACY_MAGIC.equals(magic)) {
                throw new SafeUnpickler.Refused("nested storage is not a torch.save stream");
            }
            return loadLegacyRest(in);
        } catch (IOException e) {
            throw new SafeUnpickler.Refused("nested storage: " + e.getMessage());
        }
    }

    private static Object[] persistentId(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new SafeUnpickler.Refused("unsupported persistent id " + pid);
        }
        return t;
    }

    private static TorchStorage.Type storageType(Object o) {
        if (o instanceof TorchStorage.Type t) {
            return t;
        }
        throw new SafeUnpickler.Refused("unsupported storage type " + o);
    }

    static long toLong(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new SafeUnpickler.Refused("expected an integer, got " + o);
    }

    private static long[] longs(Object o) {
        if (!(o instanceof Object[] t)) {
            throw new SafeUnpickler.Refused("expected a tuple of integers, got " + o);
        }
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = toLong(t[i]);
        }
        return out;
    }

    // ---- allowlist -----------------------------------------------------------------------------

    private static final Map<String, Object> ALLOWED = allowlist();

    private static Map<String, Object> allowlist() {
        Map<String, Object> m = new HashMap<>(STORAGES);
        IObjectConstructor rebuildTensor = args -> {
            if (args.length < 4 || !(args[0] instanceof TorchStorage s)) {
                throw new SafeUnpickler.Refused("malformed tensor record");
            }
            return new TorchTensor(s, toLong(args[1]), longs(args[2]), longs(args[3]));
        };
        m.put("torch._utils._rebuild_tensor_v2", rebuildTensor);
        m.put("torch._utils._rebuild_tensor", rebuildTensor);
        IObjectConstructor rebuildParameter = args -> {
            if (args.length < 1 || !(args[0] instanceof TorchTensor t)) {
                throw new SafeUnpickler.Refused("malformed parameter record");
            }
            return t;
        };
        m.put("torch._utils._rebuild_parameter", rebuildParameter);
        m.put("torch._utils._rebuild_parameter_with_state", rebuildParameter);
        m.put("torch.storage._load_from_bytes", (IObjectConstructor) args -> {
            if (args.length != 1 || !(args[0] instanceof byte[] blob)) {
                throw new SafeUnpickler.Refused("malformed nested storage");
            }
            return loadFromBytes(blob);
        });
        IObjectConstructor dict = args -> {
            LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
            if (args.length > 0 && args[0] instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (p instanceof Object[] kv && kv.length == 2) {
                        d.put(kv[0], kv[1]);
                    }
                }
            }
            return d;
        };
        m.put("collections.OrderedDict", dict);
        m.put("dnnlib.util.EasyDict", dict);
        IObjectConstructor set = args -> args.length > 0 && args[0] instanceof List<?> l ? new HashSet<>(l)
                : new HashSet<>();
        m.put("builtins.set", set);
        m.put("__builtin__.set", set);
        m.put("_codecs.encode", (IObjectConstructor) args -> {
            if (args.length < 1 || !(args[0] instanceof String s)) {
                throw new SafeUnpickler.Refused("malformed _codecs.encode");
            }
            return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        });
        m.put("torch_utils.persistence._reconstruct_persistent_obj", (IObjectConstructor) args -> {
            if (args.length != 1 || !(args[0] instanceof Map<?, ?> meta)) {
                throw new SafeUnpickler.Refused("malformed persistent object");
            }
            PyObject p = new PyObject("persistent." + meta.get("class_name"), args);
            p.setState(meta.get("state"));
            return p;
        });
        for (String np : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
            m.put(np + ".scalar", (IObjectConstructor) args -> scalar(args));
            m.put(np + "._reconstruct", (IObjectConstructor) args -> new PyObject("numpy.ndarray", args));
        }
        m.put("numpy.ndarray", "numpy.ndarray");
        m.put("numpy.dtype", (IObjectConstructor) args -> new PyObject("numpy.dtype", args));
        m.put("dnnlib.tflib.network.Network", (IObjectConstructor) args -> new PyObject("dnnlib.tflib.network.Network", args));
        m.put("argparse.Namespace", (IObjectConstructor) args -> new PyObject("argparse.Namespace", args));
        return Map.copyOf(m);
    }

    /** numpy.core.multiarray.scalar(dtype, raw bytes) -> a Java number. */
    private static Object scalar(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof PyObject dt) || !(args[1] instanceof byte[] raw)) {
            throw new SafeUnpickler.Refused("malformed numpy scalar");
        }
        float[] v = decode(dt, raw, 1);
        return (double) v[0];
    }

    /** Decodes {@code n} values of a numpy dtype to float32. */
    private static float[] decode(PyObject dtype, byte[] raw, long n) {
        String code = String.valueOf(dtype.args()[0]);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (dtype.state() instanceof Object[] st && st.length > 1 && ">".equals(st[1])) {
            order = ByteOrder.BIG_ENDIAN;
        }
        int size = switch (code) {
            case "f4", "i4", "u4" -> 4;
            case "f8", "i8", "u8" -> 8;
            case "f2", "i2", "u2" -> 2;
            case "u1", "i1", "b1" -> 1;
            default -> throw new SafeUnpickler.Refused("unsupported numpy dtype " + code);
        };
        if (n * size > raw.length) {
            throw new SafeUnpickler.Refused("numpy array needs " + n * size + " bytes, has " + raw.length);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        float[] out = new float[Math.toIntExact(n)];
        if (code.equals("f4")) {
            b.asFloatBuffer().get(out); // bulk: the common case, and fast before the JIT warms up
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (code) {
                case "f4" -> b.getFloat(i * 4);
                case "f8" -> (float) b.getDouble(i * 8);
                case "f2" -> io.ukiyoe.core.io.Npy.halfToFloat(b.getShort(i * 2));
                case "i4" -> b.getInt(i * 4);
                case "u4" -> Integer.toUnsignedLong(b.getInt(i * 4));
                case "i8", "u8" -> b.getLong(i * 8);
                case "i2" -> b.getShort(i * 2);
                case "u2" -> b.getShort(i * 2) & 0xffff;
                case "i1" -> b.get(i);
                default -> b.get(i) & 0xff;
            };
        }
        return out;
    }

    /**
     * A tensor-like pickled value as a dense float32 {@link Tensor}: a torch tensor, a numpy array
     * ({@code _reconstruct} + BUILD), or a Python/numpy scalar (shape []).
     */
    /** {@link #tensor(Object)} for the entry {@code key} of a state dict: a refusal names the tensor. */
    public static Tensor tensor(String key, Object o) {
        try {
            return tensor(o);
        } catch (SafeUnpickler.Refused e) {
            throw new SafeUnpickler.Refused("tensor '" + key + "': " + e.getMessage());
        }
    }

    public static Tensor tensor(Object o) {
        if (o instanceof Tensor t) {
            return t;
        }
        if (o instanceof TorchTensor t) {
            return t.toTensor();
        }
        if (o instanceof Number n) {
            return Tensor.scalar(n.floatValue());
        }
        if (o instanceof PyObject p && p.className().equals("numpy.ndarray") && p.state() instanceof Object[] st
                && st.length >= 5) {
            long[] shape = longs(st[1]);
            if (!(st[2] instanceof PyObject dtype) || !(st[4] instanceof byte[] raw)) {
                throw new SafeUnpickler.Refused("unsupported numpy array payload");
            }
            float[] data = decode(dtype, raw, Tensor.numel(shape));
            if (Boolean.TRUE.equals(st[3]) && shape.length > 1) {
                throw new SafeUnpickler.Refused("Fortran-order numpy arrays are not supported");
            }
            return new Tensor(shape, data);
        }
        throw new SafeUnpickler.Refused("expected a tensor, got " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    /** Converts {@link SafeUnpickler.Refused} raised while converting values into a one-line error. */
    public static <T> T orFail(Path file, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (SafeUnpickler.Refused | IllegalArgumentException | ArithmeticException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }

    static List<Object> list(Object o) {
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }
}
