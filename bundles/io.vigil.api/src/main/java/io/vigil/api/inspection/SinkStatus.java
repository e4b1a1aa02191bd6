package io.vigil.api.inspection;

/**
 * How one result sink keeps up.
 *
 * @param name      the sink's {@link ResultSink#NAME_PROPERTY}, or its class when it has none
 * @param state     the sink's own line ({@link ResultSink#state})
 * @param queued    results waiting for the sink now
 * @param delivered results it accepted
 * @param failed    results it threw on
 * @param dropped   results its full queue could not take
 * @since 1.2
 */
public record SinkStatus(String name, String state, int queued, long delivered, long failed, long dropped) {}
