package dev.tabrunner.http;

import dev.tabrunner.domain.Caller;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Lets controllers take the authenticated {@link Caller} as a parameter; the auth filter put it there. */
@Singleton
final class Callers implements TypedRequestArgumentBinder<Caller> {
    static final String ATTRIBUTE = "tabrunner.caller";

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> source) {
        Optional<Caller> caller = source.getAttribute(ATTRIBUTE, Caller.class);
        return () -> caller;
    }
}
