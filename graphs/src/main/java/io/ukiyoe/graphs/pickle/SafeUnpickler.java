package io.ukiyoe.graphs.pickle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Razorvine's unpickler restricted to an allowlist of globals: any other {@code module.name} is
 * refused with an error naming it, BUILD only ever stores state, and every length-prefixed opcode
 * is checked against the bytes actually left before anything is allocated.
 */
final class SafeUnpickler extends Unpickler {
    /** A refused or malformed pickle. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private static final short GLOBAL = 'c';
    private static final short STACK_GLOBAL = 0x93;
    private static final short BUILD = 'b';
    private static final short INST = 'i';
    private static final short OBJ = 'o';
    private static final short EXT1 = 0x82;
    private static final short EXT2 = 0x83;
    private static final short EXT4 = 0x84;

    private final Map<String, Object> allowed;
    private final Function<Object, Object> persistent;
    private BoundedInput bounded;

    /**
     * @param allowed    {@code module.name} -> what the global stands for (an {@link IObjectConstructor}
     *                   when the pickle calls it, or any token when it is only referenced)
     * @param persistent resolves persistent ids (torch storages); null = none allowed
     */
    SafeUnpickler(Map<String, Object> allowed, Function<Object, Object> persistent) {
        this.allowed = allowed;
        this.persistent = persistent;
    }

    /** Reads exactly one pickle from {@code in}, which holds at most {@code length} more bytes. */
    Object load(InputStream in, long length) throws IOException {
        bounded = in instanceof BoundedInput b ? b : new BoundedInput(in, length);
        try {
            return super.load(bounded);
        } catch (PickleException e) {
            throw new Refused("malformed pickle: " + e.getMessage());
        } catch (Refused e) {
            throw e;
        } catch (RuntimeException e) {
            // razorvine signals many malformations with plain runtime exceptions (bad numbers, casts, ...)
            throw new Refused("malformed pickle (" + e.getClass().getSimpleName() + ")");
        }
    }

    BoundedInput input() {
        return bounded;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case BUILD -> {
                Object state = stack.pop();
                Object target = stack.peek();
                if (target instanceof PyObject p) {
                    p.setState(state);
                } else if (!(target instanceof Map<?, ?>) && !(target instanceof TorchTensor)) {
                    throw new Refused("BUILD on " + (target == null ? "None" : target.getClass().getSimpleName())
                            + " is not supported");
                }
                return NO_RETURN_VALUE;
            }
            case INST, OBJ, EXT1, EXT2, EXT4 -> throw new Refused("pickle opcode 0x" + Integer.toHexString(key)
                    + " is not supported");
            case 'B', 'X', 'T', 0x8b -> checkLength(4); // BINBYTES, BINUNICODE, BINSTRING, LONG4
            case 0x8e, 0x8d, 0x96 -> checkLength(8);     // BINBYTES8, BINUNICODE8, BYTEARRAY8
            default -> { }
        }
        return super.dispatch(key);
    }

    private void checkLength(int width) throws IOException {
        byte[] raw = bounded.readExactly(width);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long len = width == 4 ? b.getInt() : b.getLong();
        if (len < 0 || len > bounded.remaining()) {
            throw new Refused("pickle declares " + len + " bytes, only " + bounded.remaining() + " are left");
        }
        bounded.unread(raw);
    }

    private Object resolve(String module, String name) {
        String full = module + "." + name;
        Object o = allowed.get(full);
        if (o == null) {
            throw new Refused("refusing pickle global '" + full + "' (not one of the tensor and container types "
                    + "a checkpoint needs)");
        }
        return o;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (persistent == null) {
            throw new Refused("unexpected persistent id in pickle");
        }
        return persistent.apply(pid);
    }
}
