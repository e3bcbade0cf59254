package org.rcptguard.core.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A static recipient list in the spirit of Postfix's {@code relay_recipient_maps}: one entry a line, either an
 * address ({@code alice@example.net}) or a whole domain ({@code @example.net}), optionally followed by a value
 * that is ignored ({@code alice@example.net OK}, so a Postfix map source file can be used as is); {@code #} starts a
 * comment. Matching ignores case.
 *
 * <p>The file is re-read when its modification time or size changes (checked at most once per {@code checkInterval}),
 * without a restart. A malformed line is logged with its line number and skipped; the rest of the file counts. A
 * missing, unreadable or empty file makes every answer UNDECIDED (a 4xx): it never means "accept everything", and
 * never "reject everything" either.
 */
public final class StaticRecipientList implements RecipientDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(StaticRecipientList.class);

    private final Path file;
    private final long checkIntervalNanos;
    private volatile Snapshot snapshot = Snapshot.NONE;
    private volatile long lastCheck;
    private volatile boolean checkedOnce;

    /** What one reading of the file gave. */
    public static final class Snapshot {
        static final Snapshot NONE = new Snapshot(null, -1, Set.of(), Set.of(), List.of());

        private final FileTime modified;
        private final long size;
        private final Set<String> addresses;
        private final Set<Domain> domains;
        private final List<String> errors;

        Snapshot(FileTime modified, long size, Set<String> addresses, Set<Domain> domains, List<String> errors) {
            this.modified = modified;
            this.size = size;
            this.addresses = addresses;
            this.domains = domains;
            this.errors = errors;
        }

        public int entries() {
            return addresses.size() + domains.size();
        }

        /** One message per malformed line, naming the file's line number. */
        public List<String> errors() {
            return errors;
        }
    }

    public StaticRecipientList(Path file, java.time.Duration checkInterval) {
        this.file = Objects.requireNonNull(file);
        this.checkIntervalNanos = checkInterval.toNanos();
    }

    /** {@code listed}, {@code not listed}, or UNDECIDED when the list is missing or empty. */
    @Override
    public DirectoryAnswer lookUp(MailAddress address) {
        Snapshot current = current();
        if (current.entries() == 0) {
            return DirectoryAnswer.undecided(null, "list missing or empty");
        }
        if (current.addresses.contains(Addresses.key(address)) || current.domains.contains(address.getDomain())) {
            return new DirectoryAnswer(RecipientClass.VALID, null, false, "listed");
        }
        return new DirectoryAnswer(RecipientClass.INVALID, null, false, "not listed");
    }

    /** The list as last read, re-reading the file first if it changed. */
    public Snapshot current() {
        long now = System.nanoTime();
        if (!checkedOnce || now - lastCheck >= checkIntervalNanos) {
            synchronized (this) {
                if (!checkedOnce || now - lastCheck >= checkIntervalNanos) {
                    reloadIfChanged();
                    lastCheck = System.nanoTime();
                    checkedOnce = true;
                }
            }
        }
        return snapshot;
    }

    private void reloadIfChanged() {
        Snapshot previous = snapshot;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(previous.modified) && size == previous.size) {
                return;
            }
            Snapshot read = parse(file, modified, size, Files.readAllLines(file, StandardCharsets.UTF_8));
            read.errors.forEach(error -> LOGGER.warn("Recipient list {}: {}", file, error));
            if (read.entries() == 0) {
                LOGGER.error("Recipient list {} has no entry: its recipients are deferred (451) until it has", file);
            } else {
                LOGGER.info("Recipient list {} loaded: {} entries, {} malformed lines skipped", file, read.entries(),
                    read.errors.size());
            }
            snapshot = read;
        } catch (NoSuchFileException e) {
            if (previous != Snapshot.NONE || !checkedOnce) {
                LOGGER.error("Recipient list {} is missing: its recipients are deferred (451) until it is back", file);
            }
            snapshot = Snapshot.NONE;
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Recipient list {} cannot be read: its recipients are deferred (451) until it can", file, e);
            snapshot = Snapshot.NONE;
        }
    }

    static Snapshot parse(Path file, FileTime modified, long size, List<String> lines) {
        Set<String> addresses = new HashSet<>();
        Set<Domain> domains = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String entry = content.split("\\s+", 2)[0];
            try {
                if (entry.startsWith("@")) {
                    domains.add(Addresses.domain(entry.substring(1)));
                } else {
                    addresses.add(Addresses.key(new MailAddress(entry)));
                }
            } catch (AddressException | IllegalArgumentException e) {
                errors.add("line " + (i + 1) + ": malformed entry '" + content
                    + "' (expected an address such as user@example.net or a domain such as @example.net), skipped");
            }
        }
        return new Snapshot(modified, size, Set.copyOf(addresses), Set.copyOf(domains), List.copyOf(errors));
    }

    public Path file() {
        return file;
    }
}
