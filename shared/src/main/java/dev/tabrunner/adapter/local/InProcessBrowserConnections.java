package dev.tabrunner.adapter.local;

import dev.tabrunner.port.BrowserConnections;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** CDP connections within one JVM (the local server): the worker and the gateway share this table. */
public final class InProcessBrowserConnections implements BrowserConnections {
    private static final class Connection {
        Endpoint endpoint;
        State state = State.WAITING;
        Instant lastActivity;
        Runnable onWithdrawn;
    }

    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void offer(String connectionId, Endpoint endpoint) {
        Connection c = connections.computeIfAbsent(connectionId, id -> new Connection());
        synchronized (c) {
            c.endpoint = endpoint;
            c.notifyAll();
        }
    }

    @Override
    public State state(String connectionId) {
        Connection c = connections.get(connectionId);
        if (c == null) {
            return State.DETACHED;
        }
        synchronized (c) {
            return c.endpoint == null ? State.DETACHED : c.state;
        }
    }

    @Override
    public Optional<Instant> lastActivity(String connectionId) {
        Connection c = connections.get(connectionId);
        if (c == null) {
            return Optional.empty();
        }
        synchronized (c) {
            return c.state == State.ATTACHED ? Optional.ofNullable(c.lastActivity) : Optional.empty();
        }
    }

    @Override
    public void withdraw(String connectionId) {
        Connection c = connections.remove(connectionId);
        if (c == null) {
            return;
        }
        Runnable sendAway;
        synchronized (c) {
            sendAway = c.state == State.ATTACHED ? c.onWithdrawn : null;
            c.state = State.DETACHED;
            c.endpoint = null;
            c.notifyAll();
        }
        if (sendAway != null) {
            sendAway.run();
        }
    }

    @Override
    public Optional<Endpoint> attach(String connectionId, Duration wait, Runnable onWithdrawn) {
        // the gateway may come before the worker has opened the context: it waits for the offer
        Connection c = connections.computeIfAbsent(connectionId, id -> new Connection());
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (c) {
            while (c.endpoint == null && c.state == State.WAITING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // nothing offered in time: leave no entry behind for a connection that may never run
                    connections.remove(connectionId, c);
                    return Optional.empty();
                }
                try {
                    c.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            if (c.endpoint == null || c.state != State.WAITING) {
                return Optional.empty();
            }
            c.state = State.ATTACHED;
            c.onWithdrawn = onWithdrawn;
            return Optional.of(c.endpoint);
        }
    }

    @Override
    public void touch(String connectionId, Instant at) {
        Connection c = connections.get(connectionId);
        if (c != null) {
            synchronized (c) {
                c.lastActivity = at;
            }
        }
    }

    @Override
    public void detach(String connectionId) {
        Connection c = connections.get(connectionId);
        if (c != null) {
            synchronized (c) {
                if (c.state == State.ATTACHED) {
                    c.state = State.DETACHED;
                    c.onWithdrawn = null;
                }
            }
        }
    }
}
