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
import java.util.function.Predicate;
import java.util.function.Supplier;

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
    /** Whether a node is met for the first time (and so walked), recording it; null: every node is. */
    private final Supplier<Predicate<N>> firstTime;

    private DfsOrder(N root, Children<N> children, Supplier<Predicate<N>> firstTime) {
        this.root = root;
        this.children = children;
        this.firstTime = firstTime;
    }

    /**
     * The walk from {@code root}; with a {@code key}, a node whose key was met before is skipped
     * with its subtree (null: every node of the tree, repeats included). An I/O failure finding
     * children surfaces from {@code next()} as an {@link UncheckedIOException}.
     */
    public static <N> DfsOrder<N> of(N root, Children<N> children, Function<N, Object> key) {
        return new DfsOrder<>(root, children, key == null ? null : () -> {
            Set<Object> seen = new HashSet<>();
            return n -> seen.add(key.apply(n));
        });
    }

    /**
     * The walk from {@code root}, skipping a node (with its subtree) for which {@code firstTime}
     * says false; it is asked once of each node the walk reaches and records it (a set of the
     * nodes met that need not be in memory: a {@link CidSet}).
     */
    public static <N> DfsOrder<N> skipping(N root, Children<N> children, Predicate<N> firstTime) {
        return new DfsOrder<>(root, children, () -> firstTime);
    }

    @Override
    public Iterator<N> iterator() {
        return new Iterator<>() {
            private final Deque<N> stack = new ArrayDeque<>(List.of(root));
            private final Predicate<N> first = firstTime == null ? null : firstTime.get();
            /** The top of the stack, already found met for the first time (and recorded). */
            private boolean topIsNew;

            @Override
            public boolean hasNext() {
                while (first != null && !topIsNew && !stack.isEmpty()) {
                    if (first.test(stack.peek())) {
                        topIsNew = true;
                    } else {
                        stack.pop();
                    }
                }
                return !stack.isEmpty();
            }

            @Override
            public N next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                N n = stack.pop();
                topIsNew = false;
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
