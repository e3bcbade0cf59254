package org.rcptguard.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.StaticRecipientList;

/**
 * The directory of the benchmark: the governed domains, each recipient looked up in the product's
 * {@link StaticRecipientList} (a Postfix-style list file), in the calling thread. No {@code BoundedLookup}: its
 * thread hand-off and reply floor are there to hide a remote directory's timing, not part of the decision.
 */
final class ListDirectory implements RecipientDirectory {
    /** Checked for changes at most once a day: in a run, the file is read once, in setup. */
    private static final Duration CHECK_INTERVAL = Duration.ofDays(1);

    private final Set<String> domains;
    private final StaticRecipientList list;

    private ListDirectory(Set<String> domains, StaticRecipientList list) {
        this.domains = Set.copyOf(domains);
        this.list = list;
    }

    /**
     * A directory governing {@code domain} whose list holds {@code valid} and {@code filler} more addresses
     * ({@code user<n>@domain}), so that a lookup is one in a list of a realistic size. The list file is read here and
     * deleted at once: it is not re-checked for a day, so the decisions measured never touch the file system and no
     * file is left behind.
     */
    static ListDirectory of(String domain, List<String> valid, int filler) {
        List<String> lines = new ArrayList<>();
        lines.add("# recipients of " + domain + " (benchmark)");
        valid.forEach(address -> lines.add(address + " OK"));
        for (int i = 0; i < filler; i++) {
            lines.add("user" + i + "@" + domain + " OK");
        }
        Path file = null;
        try {
            file = Files.createTempFile("rcptguard-bench-recipients", ".list");
            Files.write(file, lines, StandardCharsets.UTF_8);
            StaticRecipientList list = new StaticRecipientList(file, CHECK_INTERVAL);
            int entries = list.current().entries();
            if (entries != valid.size() + filler) {
                throw new IllegalStateException("recipient list read " + entries + " entries, expected " + (valid.size() + filler)
                    + ": " + list.current().errors());
            }
            return new ListDirectory(Set.of(domain), list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    @Override
    public boolean governs(Domain domain) {
        return domains.contains(domain.asString());
    }

    @Override
    public DirectoryAnswer lookUp(MailAddress address) {
        return list.lookUp(address);
    }
}
