package io.ukiyoe.core.io;

import io.ukiyoe.core.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npy} / {@code .npz} files, read into float32 {@link Tensor}s or float64 {@link Doubles}
 * (f4, f8, f2, i8, i4, u1, any byte order, C or Fortran order) and written as little-endian float32 or
 * float64 C order. Written npz
 * files are uncompressed (ZIP_STORED), which is what {@code numpy.savez} produces.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": not a valid .npy file: " + e.getMessage(), e);
        }
    }

    /** A float64 array in C order: statistics files (pytorch-fid's {@code mu}, {@code sigma}) keep double precision. */
    public record Doubles(long[] shape, double[] data) {
        public Doubles {
            if (Tensor.numel(shape) != data.length) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs "
                        + Tensor.numel(shape) + " values, got " + data.length);
            }
        }
    }

    /** Parses the bytes of one {@code .npy} file. */
    public static Tensor parse(byte[] b) {
        Parsed p = parseAny(b);
        float[] out = new float[p.values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) p.values[i];
        }
        return new Tensor(p.shape, out);
    }

    /** Parses the bytes of one {@code .npy} file into float64 values (exact for f8, f4 and integers). */
    public static Doubles parseDoubles(byte[] b) {
        Parsed p = parseAny(b);
        return new Doubles(p.shape, p.values);
    }

    private record Parsed(long[] shape, double[] values) {}

    private static Parsed parseAny(byte[] b) {
        if (b.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(b, 6), MAGIC)) {
            throw new IllegalArgumentException("bad magic (not an .npy file)");
        }
        int major = b[6];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new IllegalArgumentException("truncated header");
            }
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new IllegalArgumentException("unsupported version " + major);
        }
        if (headerLen < 0 || start + (long) headerLen > b.length) {
            throw new IllegalArgumentException("header runs past the end of the file");
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException("cannot parse header " + header.strip());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.strip()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = Tensor.numel(shape);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int dataStart = start + headerLen;
        if (n * size > b.length - dataStart) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs " + n * size
                    + " bytes of data, the file has " + (b.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(b, dataStart, b.length - dataStart).slice().order(order);
        double[] out = new double[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind + "" + size) {
                case "f4" -> data.getFloat(i * 4);
                case "f8" -> data.getDouble(i * 8);
                case "f2" -> halfToFloat(data.getShort(i * 2));
                case "i8" -> (double) data.getLong(i * 8);
                case "i4" -> data.getInt(i * 4);
                case "u1", "i1", "b1" -> kind == 'u' || kind == 'b' ? (data.get(i) & 0xff) : data.get(i);
                default -> throw new IllegalArgumentException("unsupported dtype " + d.group(0));
            };
        }
        if (f.group(1).equals("True") && shape.length > 1) {
            out = fortranToC(out, shape);
        }
        return new Parsed(shape, out);
    }

    /** IEEE 754 binary16 to float32. */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static double[] fortranToC(double[] src, long[] shape) {
        int r = shape.length;
        double[] dst = new double[src.length];
        int[] idx = new int[r];
        for (int c = 0; c < dst.length; c++) {
            // c walks C order; compute the Fortran-order offset of the same index
            long fo = 0;
            long stride = 1;
            for (int k = 0; k < r; k++) {
                fo += idx[k] * stride;
                stride *= shape[k];
            }
            dst[c] = src[(int) fo];
            for (int k = r - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return dst;
    }

    /** The bytes of a float32 little-endian C-order {@code .npy} (format 1.0). */
    public static byte[] bytes(Tensor t) {
        ByteBuffer bb = withHeader(t.shape(), "<f4", t.data().length * 4L);
        for (float v : t.data()) {
            bb.putFloat(v);
        }
        return bb.array();
    }

    /** The bytes of a float64 little-endian C-order {@code .npy} (format 1.0). */
    public static byte[] bytes(Doubles t) {
        ByteBuffer bb = withHeader(t.shape(), "<f8", t.data().length * 8L);
        for (double v : t.data()) {
            bb.putDouble(v);
        }
        return bb.array();
    }

    /** A buffer holding the magic and header, positioned for {@code dataBytes} of data. */
    private static ByteBuffer withHeader(long[] shape, String descr, long dataBytes) {
        String sh = switch (shape.length) {
            case 0 -> "()";
            case 1 -> "(" + shape[0] + ",)";
            default -> "(" + String.join(", ", java.util.Arrays.stream(shape).mapToObj(Long::toString).toList()) + ")";
        };
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(10 + header.length() + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return bb;
    }

    public static void write(Path file, Tensor t) throws IOException {
        byte[] b = bytes(t);
        AtomicFiles.write(file, out -> out.write(b));
    }

    /** Reads every array of an {@code .npz} (stored or deflated), keyed without the ".npy" suffix. */
    public static Map<String, Tensor> readNpz(Path file) {
        return readNpz(file, Npy::parse);
    }

    /**
     * One array from a {@code .npy}, or from an {@code .npz} (by content, whatever the file is called) the
     * array under {@code npzKey}: how tools hand over latents (stylegan2-ada's projector writes
     * {@code projected_w.npz} with key {@code w}). A missing key is a one-line error listing the keys there.
     */
    public static Tensor readArray(Path file, String npzKey) {
        if (!isZip(file)) {
            return read(file);
        }
        Map<String, Tensor> all = readNpz(file);
        Tensor t = all.get(npzKey);
        if (t == null) {
            throw new UserError(file + ": no array '" + npzKey + "' in this .npz (it has " + all.keySet() + ")");
        }
        return t;
    }

    private static boolean isZip(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** {@link #readNpz} in float64. */
    public static Map<String, Doubles> readNpzDoubles(Path file) {
        return readNpz(file, Npy::parseDoubles);
    }

    private static <T> Map<String, T> readNpz(Path file, java.util.function.Function<byte[], T> parser) {
        Map<String, T> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                try (var in = zip.getInputStream(e)) {
                    out.put(name, parser.apply(in.readAllBytes()));
                } catch (IllegalArgumentException ex) {
                    throw new UserError(file + ": entry " + e.getName() + ": " + ex.getMessage(), ex);
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserError(file + ": not a readable .npz file: " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes an uncompressed {@code .npz} as {@code numpy.savez} does. */
    public static void writeNpz(Path file, Map<String, Tensor> arrays) throws IOException {
        writeNpzBytes(file, arrays, Npy::bytes);
    }

    /** {@link #writeNpz} in float64. */
    public static void writeNpzDoubles(Path file, Map<String, Doubles> arrays) throws IOException {
        writeNpzBytes(file, arrays, Npy::bytes);
    }

    private static <T> void writeNpzBytes(Path file, Map<String, T> arrays, java.util.function.Function<T, byte[]> bytes)
            throws IOException {
        AtomicFiles.write(file, os -> {
            ZipOutputStream zip = new ZipOutputStream(os);
            for (var e : arrays.entrySet()) {
                Zips.putStored(zip, e.getKey() + ".npy", bytes.apply(e.getValue()));
            }
            zip.finish();
        });
    }
}
