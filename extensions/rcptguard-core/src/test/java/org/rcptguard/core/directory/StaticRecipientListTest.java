package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

class StaticRecipientListTest {
    @TempDir
    Path directory;

    private Path write(String name, String content, Instant modified) throws Exception {
        Path file = directory.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void addressesAndWholeDomainsAreValidOthersInvalid() throws Exception {
        Path file = write("recipients.txt", "# relay recipients\nalice@example.net\nBob@Example.NET   OK\n\n@everyone.example.org\n",
            Instant.parse("2026-01-01T00:00:00Z"));
        StaticRecipientList list = new StaticRecipientList(file, Duration.ZERO);

        assertThat(list.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(list.classify(Mail.address("bob@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(list.classify(Mail.address("ALICE@EXAMPLE.NET"))).isEqualTo(RecipientClass.VALID);
        assertThat(list.classify(Mail.address("anyone@everyone.example.org"))).isEqualTo(RecipientClass.VALID);
        assertThat(list.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        assertThat(list.classify(Mail.address("alice@other.example"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void aMalformedLineIsReportedWithItsNumberAndTheRestCounts() throws Exception {
        Path file = write("recipients.txt", "alice@example.net\nnot an address\nbob@@example.net\n@\ncarol@example.net\n",
            Instant.parse("2026-01-01T00:00:00Z"));
        StaticRecipientList list = new StaticRecipientList(file, Duration.ZERO);

        assertThat(list.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(list.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(list.current().entries()).isEqualTo(2);
        assertThat(list.current().errors()).hasSize(3);
        assertThat(list.current().errors().get(0)).startsWith("line 2: malformed entry 'not an address'");
        assertThat(list.current().errors().get(1)).startsWith("line 3:");
        assertThat(list.current().errors().get(2)).startsWith("line 4:");
    }

    @Test
    void aMissingOrEmptyFileIsUndecidedNeverAcceptEverything() throws Exception {
        StaticRecipientList missing = new StaticRecipientList(directory.resolve("absent.txt"), Duration.ZERO);
        assertThat(missing.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);

        Path empty = write("empty.txt", "# nothing yet\n\n", Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(new StaticRecipientList(empty, Duration.ZERO).classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);

        Path allMalformed = write("bad.txt", "garbage\n", Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(new StaticRecipientList(allMalformed, Duration.ZERO).classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
    }

    @Test
    void aChangedFileIsReloadedWithoutRestart() throws Exception {
        Path file = write("recipients.txt", "alice@example.net\n", Instant.parse("2026-01-01T00:00:00Z"));
        StaticRecipientList list = new StaticRecipientList(file, Duration.ZERO);
        assertThat(list.classify(Mail.address("bob@example.net"))).isEqualTo(RecipientClass.INVALID);

        write("recipients.txt", "alice@example.net\nbob@example.net\n", Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(list.classify(Mail.address("bob@example.net"))).isEqualTo(RecipientClass.VALID);

        Files.delete(file);
        assertThat(list.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.UNDECIDED);

        write("recipients.txt", "alice@example.net\n", Instant.parse("2026-01-01T00:02:00Z"));
        assertThat(list.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
    }

    @Test
    void theFileIsCheckedAtMostOncePerInterval() throws Exception {
        Path file = write("recipients.txt", "alice@example.net\n", Instant.parse("2026-01-01T00:00:00Z"));
        StaticRecipientList list = new StaticRecipientList(file, Duration.ofHours(1));
        assertThat(list.classify(Mail.address("bob@example.net"))).isEqualTo(RecipientClass.INVALID);

        write("recipients.txt", "alice@example.net\nbob@example.net\n", Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(list.classify(Mail.address("bob@example.net"))).isEqualTo(RecipientClass.INVALID);
    }
}
