package dev.tokentrail.dist;

/** One server of the stack. Started once, in order; closed in reverse order, even after a failed start. */
interface Component extends AutoCloseable {

    String name();

    void start(Progress progress) throws Exception;

    /** Stops it and waits until it is gone. Never throws. */
    @Override
    void close();
}
