package dev.cartool.car;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * The order every CAR this toolkit writes follows, {@code ipfs dag export}'s: depth-first, each
 * node before its children, children in link order, and (when asked) a node met again skipped
 * with everything under it. One implementation for the DAGs held as blocks ({@link DagExporter})
 * and the DAGs being packed (the importer's nodes), so the two cannot drift.
 *
 * @param <N> a node of the walk
 */
public final class DfsOrder<N> implements Iterable<N> {
    /** The children of a node, in link order. */
    @FunctionalInterface
    public interface Children<N> {
        List<N> of(N node) throws IOException;
    }

    private final N root;
    private final Children<N> children;
    private final Function<N, Object> key;

    private DfsOrder(N root, Children<N> children, Function<N, Object> key) {
        this.root = root;
        this.children = children;
        this.key = key;
    }

    /**
     * The walk from {@code root}; with a {@code key}, a node whose key was met before is skipped
     * with its subtree (null: every node of the tree, repeats included). An I/O failure finding
     * children surfaces from {@code next()} as an {@link UncheckedIOException}.
     */
    public static <N> DfsOrder<N> of(N root, Children<N> children, Function<N, Object> key) {
        return new DfsOrder<>(root, children, key);
    }

    @Override
    public Iterator<N> iterator() {
        return new Iterator<>() {
            private final Deque<N> stack = new ArrayDeque<>(List.of(root));
            private final Set<Object> seen = new HashSet<>();

            @Override
            public boolean hasNext() {
                while (key != null && !stack.isEmpty() && seen.contains(key.apply(stack.peek()))) {
                    stack.pop();
                }
                return !stack.isEmpty();
            }

            @Override
            public N next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                N n = stack.pop();
                if (key != null) {
                    seen.add(key.apply(n));
                }
                List<N> below;
                try {
                    below = children.of(n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                for (int i = below.size() - 1; i >= 0; i--) {
                    stack.push(below.get(i));
                }
                return n;
            }
        };
    }
}
