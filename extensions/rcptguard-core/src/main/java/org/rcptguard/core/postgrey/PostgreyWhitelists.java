package org.rcptguard.core.postgrey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.LogText;
import org.rcptguard.core.RcptGuardSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postgrey whitelist files named by the settings, read once at start: a file that cannot be read stops James
 * naming its key and path; a malformed line is logged with its file and number and left out, the rest kept.
 */
public final class PostgreyWhitelists {
    public static final String CLIENTS = "whitelist.postgrey.clients";
    public static final String RECIPIENTS = "whitelist.postgrey.recipients";

    private static final Logger LOGGER = LoggerFactory.getLogger(PostgreyWhitelists.class);

    private PostgreyWhitelists() {
    }

    private interface FileReader {
        PostgreyWhitelistFile.Reading read(Path file) throws IOException;
    }

    /** Both settings' files in one whitelist; {@link PostgreyWhitelist#EMPTY} when neither is set. */
    public static PostgreyWhitelist from(RcptGuardSettings settings) {
        return from(settings, line -> LOGGER.warn("RcptGuard left out a malformed line of a postgrey whitelist: {}",
            LogText.escape(line)));
    }

    /** @param report told of each line left out */
    static PostgreyWhitelist from(RcptGuardSettings settings, Consumer<MalformedLine> report) {
        PostgreyWhitelist whitelist = read(settings, CLIENTS, PostgreyWhitelistFile::clients, report)
            .plus(read(settings, RECIPIENTS, PostgreyWhitelistFile::recipients, report));
        if (whitelist.size() == 0) {
            return PostgreyWhitelist.EMPTY;
        }
        LOGGER.info("RcptGuard read the {}", whitelist);
        if (whitelist.hasClientNames()) {
            LOGGER.info("RcptGuard matches the client names and /regex/ entries of {} against each connection's "
                + "forward-confirmed reverse name: a PTR and an A look-up per connection, within identity.dns.timeout", CLIENTS);
        }
        return whitelist;
    }

    private static PostgreyWhitelist read(RcptGuardSettings settings, String key, FileReader reader,
                                          Consumer<MalformedLine> report) {
        PostgreyWhitelist whitelist = PostgreyWhitelist.EMPTY;
        for (Path file : settings.list(key, Path::of)) {
            PostgreyWhitelistFile.Reading reading;
            try {
                reading = reader.read(file);
            } catch (IOException e) {
                throw new InvalidConfigurationException(key, file.toString(), "cannot read the file: " + e);
            }
            reading.malformed().forEach(report);
            whitelist = whitelist.plus(reading.whitelist());
        }
        return whitelist;
    }
}
