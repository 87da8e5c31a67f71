package dev.cartool.dagpb;

import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/** Bytes that are not valid DAG-PB. The caller knows the block's CID and adds it. */
public class DagPbException extends CarException {
    private static final long serialVersionUID = 1L;

    public DagPbException(String message) {
        super(-1, message, Kind.MALFORMED_BLOCK);
    }
}
