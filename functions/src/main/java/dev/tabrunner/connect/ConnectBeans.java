package dev.tabrunner.connect;

import dev.tabrunner.port.BrowserConnections;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/**
 * No CDP connect unless the host provides it: the local server registers its in-process table; on AWS the worker is
 * a Lambda function that takes no inbound connection, and {@code POST …/connect} answers 501.
 */
@Factory
final class ConnectBeans {
    @Singleton
    @Secondary
    BrowserConnections noConnections() {
        return BrowserConnections.UNAVAILABLE;
    }
}
