package dev.cartool.error;

/**
 * What kind of problem an exception or a verify report names: the one vocabulary that exit codes,
 * HTTP statuses and machine-readable reports are mapped from. Labels are stable: they appear in
 * {@code --json} output.
 */
public enum Kind {
    NO_ROOTS("no-roots"),
    MALFORMED("malformed"),
    TRUNCATED("truncated"),
    UNSUPPORTED("unsupported"),
    HASH_MISMATCH("hash-mismatch"),
    UNVERIFIABLE("unverifiable"),
    MALFORMED_BLOCK("malformed-block"),
    MISSING_ROOT("missing-root"),
    MISSING_BLOCK("missing-block"),
    /** A DAG that does not hold together as UnixFS (sizes, names, cycles). */
    UNIXFS("unixfs"),
    /** A path that names nothing in the DAG. */
    NOT_FOUND("not-found"),
    /** A walk past one of its limits: nothing wrong with the data, it is too big. */
    LIMIT("limit"),
    /** Text from a user or a request that does not parse: a CID, a multibase string, a path. */
    SYNTAX("syntax"),
    IO("io");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
