package io.ukiyoe.core.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * An Arbiter parameter space that builds its value from leaves it made itself (one per searched
 * dimension), indexing them in the order they were added.
 */
public abstract class CompositeSpace<T> implements ParameterSpace<T> {
    private final List<ParameterSpace> leaves = new ArrayList<>();

    /** Adds a leaf; call {@link #indexLeaves()} once all are added. */
    protected final <P extends ParameterSpace<?>> P leaf(P p) {
        leaves.add(p);
        return p;
    }

    protected final void indexLeaves() {
        for (int i = 0; i < leaves.size(); i++) {
            leaves.get(i).setIndices(i);
        }
    }

    @Override
    public int numParameters() {
        return leaves.size();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        return new ArrayList<>(leaves);
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Map.of();
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " assigns its own leaf indices");
    }
}
