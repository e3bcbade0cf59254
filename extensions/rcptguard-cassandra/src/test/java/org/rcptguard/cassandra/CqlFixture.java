package org.rcptguard.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CQL kept as a test resource: statements ending with {@code ;} at the end of a line, {@code --} comments, an
 * optional {@code -- name: x} before a statement, and {@code {token}} placeholders replaced on reading.
 */
final class CqlFixture {
    private static final String NAME = "-- name:";

    private CqlFixture() {
    }

    /** The statements of {@code resource} by name (unnamed ones by their position), in order. */
    static Map<String, String> read(String resource, Map<String, String> tokens) {
        String text;
        try (InputStream in = CqlFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            text = text.replace("{" + token.getKey() + "}", token.getValue());
        }
        Map<String, String> statements = new LinkedHashMap<>();
        String name = null;
        StringBuilder statement = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith(NAME)) {
                name = trimmed.substring(NAME.length()).strip();
            } else if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
                statement.append(statement.length() == 0 ? "" : " ").append(trimmed);
                if (trimmed.endsWith(";")) {
                    statement.setLength(statement.length() - 1);
                    statements.put(name == null ? String.valueOf(statements.size()) : name, statement.toString());
                    statement.setLength(0);
                    name = null;
                }
            }
        }
        return statements;
    }
}
