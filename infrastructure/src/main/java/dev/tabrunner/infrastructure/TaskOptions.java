package dev.tabrunner.infrastructure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What tasks may use beyond the defaults: the browsing API's nodes, the operator's proxies and the cap on a
 * recording. Each reaches the functions as its {@code TABRUNNER_*} variable only when set; unset ones keep the
 * functions' defaults (one node, no proxy, 4 MiB). A proxy's URL holds its credentials, so, as with the model's API
 * key, only the id of a vault credential is passed: a credential of tenant {@code default} whose password is the
 * proxy's {@code http://user:password@host:port}. The worker reads it when it starts; the API learns from the
 * variable's name that the country is offered.
 *
 * @param browsingNodes     {@code TABRUNNER_BROWSING_NODES}, e.g. {@code de-1:DE:proxy,us-1:US} (README, "Browsing
 *                          API")
 * @param proxyCredentials  country to credential id, from {@code us=<id>,de=<id>}: each becomes
 *                          {@code TABRUNNER_PROXY_<CC>_CREDENTIAL_ID}
 * @param proxyStrict       {@code TABRUNNER_PROXY_STRICT}: empty, {@code true} or {@code false}
 * @param recordingMaxBytes {@code TABRUNNER_RECORDING_MAX_BYTES}: empty or a byte count
 */
public record TaskOptions(String browsingNodes, Map<String, String> proxyCredentials, String proxyStrict,
                          String recordingMaxBytes) {
    /** The countries the functions offer proxies for ({@code dev.tabrunner.egress.UpstreamProxies#COUNTRIES}). */
    static final List<String> PROXY_COUNTRIES = List.of("us", "fr", "it", "jp", "au", "de", "fi", "ca");
    private static final Pattern NODES = Pattern.compile("[A-Za-z0-9._:,\\s-]*");
    private static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** The functions raise a smaller cap to this ({@code Recordings.maxBytes}); synth says so instead. */
    private static final long MIN_RECORDING_BYTES = 64 * 1024;
    /** A replay page loads the whole recording: past 64 MiB it is no longer worth replaying in a browser. */
    private static final long MAX_RECORDING_BYTES = 64L * 1024 * 1024;
    /** Declared after the constants its checks use, which static initialisation reads in order. */
    public static final TaskOptions NONE = new TaskOptions("", Map.of(), "", "");

    public TaskOptions {
        browsingNodes = browsingNodes == null ? "" : browsingNodes.trim();
        proxyCredentials = Map.copyOf(proxyCredentials);
        proxyStrict = proxyStrict == null ? "" : proxyStrict.trim().toLowerCase(Locale.ROOT);
        recordingMaxBytes = recordingMaxBytes == null ? "" : recordingMaxBytes.trim();
        if (!NODES.matcher(browsingNodes).matches()) {
            throw new IllegalArgumentException("context browsingNodes must be uid[:COUNTRY[:proxy]] entries separated"
                    + " by commas, got " + browsingNodes);
        }
        proxyCredentials.forEach((country, id) -> {
            if (!PROXY_COUNTRIES.contains(country)) {
                throw new IllegalArgumentException("context proxyCredentials: '" + country + "' is not one of "
                        + PROXY_COUNTRIES);
            }
            if (!CREDENTIAL_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("context proxyCredentials: the credential id of " + country
                        + " must be the id POST /browser/credentials answered, got '" + id + "'");
            }
        });
        if (!proxyStrict.isEmpty() && !proxyStrict.equals("true") && !proxyStrict.equals("false")) {
            throw new IllegalArgumentException("context proxyStrict must be true, false or empty, got " + proxyStrict);
        }
        if (!recordingMaxBytes.isEmpty()) {
            long bytes;
            try {
                bytes = Long.parseLong(recordingMaxBytes);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context recordingMaxBytes must be a number of bytes, got "
                        + recordingMaxBytes);
            }
            if (bytes < MIN_RECORDING_BYTES || bytes > MAX_RECORDING_BYTES) {
                throw new IllegalArgumentException("context recordingMaxBytes must be between " + MIN_RECORDING_BYTES
                        + " and "
                        + MAX_RECORDING_BYTES + ", got " + bytes);
            }
        }
    }

    /**
     * Reads {@code us=<id>,de=<id>}.
     *
     * @throws IllegalArgumentException when an entry is not {@code country=id} or names a country twice
     */
    static Map<String, String> proxyCredentials(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String entry : value.split(",")) {
            String[] parts = entry.trim().split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("context proxyCredentials must be country=credentialId entries"
                        + " separated by commas, got '" + entry.trim() + "'");
            }
            String country = parts[0].trim().toLowerCase(Locale.ROOT);
            if (out.put(country, parts[1].trim()) != null) {
                throw new IllegalArgumentException("context proxyCredentials names " + country + " twice");
            }
        }
        return out;
    }

    /** The variables that have a value, for every function (the API decides on them, the worker acts on them). */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        if (!browsingNodes.isEmpty()) {
            environment.put("TABRUNNER_BROWSING_NODES", browsingNodes);
        }
        PROXY_COUNTRIES.stream().filter(proxyCredentials::containsKey).forEach(country -> environment.put(
                "TABRUNNER_PROXY_" + country.toUpperCase(Locale.ROOT) + "_CREDENTIAL_ID",
                proxyCredentials.get(country)));
        if (!proxyStrict.isEmpty()) {
            environment.put("TABRUNNER_PROXY_STRICT", proxyStrict);
        }
        if (!recordingMaxBytes.isEmpty()) {
            environment.put("TABRUNNER_RECORDING_MAX_BYTES", recordingMaxBytes);
        }
        return environment;
    }
}
