package dev.cartool.dagpb;

/** Bytes that are not valid DAG-PB. The caller knows the block's CID and adds it. */
public class DagPbException extends Exception {
    private static final long serialVersionUID = 1L;

    public DagPbException(String message) {
        super(message);
    }
}
