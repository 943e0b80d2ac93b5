package dev.tabrunner.http;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request that broke its dialect's contract, with every problem found; answered in the dialect's
 * {@link ErrorFormat#problems} form. A message never quotes a secret value, so the exception may be logged.
 */
public final class RequestProblems extends RuntimeException {
    private final List<RequestProblem> problems;

    public RequestProblems(List<RequestProblem> problems) {
        super(problems.stream().map(p -> p.loc() + ": " + p.msg()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public static RequestProblems of(List<Object> loc, String msg, String type) {
        return new RequestProblems(List.of(new RequestProblem(loc, msg, type)));
    }

    public List<RequestProblem> problems() {
        return problems;
    }
}
