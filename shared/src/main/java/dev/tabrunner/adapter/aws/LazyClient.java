package dev.tabrunner.adapter.aws;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * An SDK client built on its first use: building one costs a cold JVM 10-300 ms (the first a process builds costs the
 * most), and most invocations of a function never call most services (a scripted task needs no Secrets Manager, a
 * session create no S3). Closing a client that was never built builds nothing.
 */
final class LazyClient<T extends AutoCloseable> implements InvocationHandler {
    private final Supplier<T> build;
    private volatile T client;

    private LazyClient(Supplier<T> build) {
        this.build = build;
    }

    /** A client of the interface {@code type} that calls {@code build} the first time one of its methods is called. */
    static <T extends AutoCloseable> T of(Class<T> type, Supplier<T> build) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                new LazyClient<>(build)));
    }

    /** Builds the client behind {@code proxy} now, if it is a lazy one (SnapStart wants it in the snapshot). */
    static void build(Object proxy) {
        if (Proxy.isProxyClass(proxy.getClass()) && Proxy.getInvocationHandler(proxy) instanceof LazyClient<?> lazy) {
            lazy.client();
        }
    }

    private T client() {
        T c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = build.get();
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("close") && method.getParameterCount() == 0 && client == null) {
            return null;
        }
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "lazy " + proxy.getClass().getInterfaces()[0].getSimpleName();
            };
        }
        try {
            return method.invoke(client(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
