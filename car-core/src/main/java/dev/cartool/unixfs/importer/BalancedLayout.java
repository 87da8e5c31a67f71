package dev.cartool.unixfs.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * The balanced layout of a file's leaves, as Kubo's and the JS importer's: leaves grouped
 * {@code maxLinks} to a node, level by level, until one node remains (the leaf itself when
 * there is one).
 */
final class BalancedLayout {
    private BalancedLayout() {
    }

    /** The balanced layout over a file's leaves (the leaf itself when there is one). */
    static DagNode of(List<DagNode> leaves, int maxLinks, Blocks blocks) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        List<DagNode> level = leaves;
        while (level.size() > 1) {
            List<DagNode> up = new ArrayList<>((level.size() + maxLinks - 1) / maxLinks);
            for (int i = 0; i < level.size(); i += maxLinks) {
                up.add(blocks.fileNode(level.subList(i, Math.min(level.size(), i + maxLinks))));
            }
            level = up;
        }
        return level.get(0);
    }
}
