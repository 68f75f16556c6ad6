package io.ukiyoe.graphs.pickle;

import java.util.Map;

/**
 * A Python object that was allowed through the unpickler but has no Java counterpart: its class
 * name, constructor arguments and the state given by BUILD. Nothing in it is ever executed.
 */
public final class PyObject {
    private final String className;
    private final Object[] args;
    private Object state;

    PyObject(String className, Object[] args) {
        this.className = className;
        this.args = args;
    }

    public String className() {
        return className;
    }

    public Object[] args() {
        return args;
    }

    public Object state() {
        return state;
    }

    void setState(Object state) {
        this.state = state;
    }

    /** The state as a dict (BUILD with a dict), or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<Object, Object> stateDict() {
        return state instanceof Map<?, ?> m ? (Map<Object, Object>) m : Map.of();
    }

    @Override
    public String toString() {
        return "PyObject(" + className + ")";
    }
}
