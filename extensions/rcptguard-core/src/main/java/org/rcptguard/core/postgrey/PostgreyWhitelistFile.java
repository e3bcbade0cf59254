package org.rcptguard.core.postgrey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.rcptguard.core.Cidr;

/**
 * Reads postgrey's whitelist files in the format Debian ships in {@code /etc/postgrey/}: one entry a line,
 * {@code #} starts a comment, blank lines are skipped. A line that is not an entry is reported with its number and
 * left out; the rest are kept, so one typo does not cost the administrator the whole list.
 */
public final class PostgreyWhitelistFile {
    private static final Pattern REGEX = Pattern.compile("/(\\S+)/");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(/\\d{1,2})?");
    private static final Pattern PARTIAL_IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}(\\.\\d{1,3})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(/\\d{1,3})?");
    private static final Pattern NAME = Pattern.compile("\\S+");

    private PostgreyWhitelistFile() {
    }

    /** What a file gave: its whitelist and the lines left out. */
    public static final class Reading {
        private final PostgreyWhitelist whitelist;
        private final List<MalformedLine> malformed;

        Reading(PostgreyWhitelist whitelist, List<MalformedLine> malformed) {
            this.whitelist = whitelist;
            this.malformed = List.copyOf(malformed);
        }

        public PostgreyWhitelist whitelist() {
            return whitelist;
        }

        public List<MalformedLine> malformed() {
            return malformed;
        }
    }

    /** Reads a {@code whitelist_clients} file. */
    public static Reading clients(Path file) throws IOException {
        return clients(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Reads a {@code whitelist_recipients} file. */
    public static Reading recipients(Path file) throws IOException {
        return recipients(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Reading clients(String source, List<String> lines) {
        List<Pattern> names = new ArrayList<>();
        List<Cidr> networks = new ArrayList<>();
        List<MalformedLine> malformed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = entry(lines.get(i));
            if (entry.isEmpty()) {
                continue;
            }
            try {
                Matcher regex = REGEX.matcher(entry);
                if (regex.matches()) {
                    names.add(Pattern.compile(regex.group(1), Pattern.CASE_INSENSITIVE));
                } else if (IPV4.matcher(entry).matches()) {
                    networks.add(Cidr.parse(octets(entry)));
                } else if (IPV6.matcher(entry).matches()) {
                    networks.add(Cidr.parse(entry));
                } else if (PARTIAL_IPV4.matcher(entry).matches()) {
                    networks.add(partialIpv4(entry));
                } else if (NAME.matcher(entry).matches()) {
                    names.add(Pattern.compile("(?:^|\\.)" + Pattern.quote(entry) + "$", Pattern.CASE_INSENSITIVE));
                } else {
                    malformed.add(new MalformedLine(source, i + 1, lines.get(i), "not a client name, address or /regex/"));
                }
            } catch (PatternSyntaxException e) {
                malformed.add(new MalformedLine(source, i + 1, lines.get(i), "not a regular expression: " + e.getDescription()));
            } catch (IllegalArgumentException e) {
                malformed.add(new MalformedLine(source, i + 1, lines.get(i), e.getMessage()));
            }
        }
        return new Reading(new PostgreyWhitelist(names, networks, List.of()), malformed);
    }

    static Reading recipients(String source, List<String> lines) {
        List<Pattern> recipients = new ArrayList<>();
        List<MalformedLine> malformed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = entry(lines.get(i));
            if (entry.isEmpty()) {
                continue;
            }
            try {
                Matcher regex = REGEX.matcher(entry);
                if (regex.matches()) {
                    recipients.add(Pattern.compile(regex.group(1), Pattern.CASE_INSENSITIVE));
                } else if (!NAME.matcher(entry).matches()) {
                    malformed.add(new MalformedLine(source, i + 1, lines.get(i), "not an address, user@, domain or /regex/"));
                } else {
                    recipients.add(recipientPattern(entry));
                }
            } catch (PatternSyntaxException e) {
                malformed.add(new MalformedLine(source, i + 1, lines.get(i), "not a regular expression: " + e.getDescription()));
            }
        }
        return new Reading(new PostgreyWhitelist(List.of(), List.of(), recipients), malformed);
    }

    /** The line without its comment and surrounding blanks. */
    private static String entry(String line) {
        int hash = line.indexOf('#');
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    /** {@code 192.0.2} is 192.0.2.0/24 and {@code 10.1} is 10.1.0.0/16, as postgrey documents them. */
    private static Cidr partialIpv4(String entry) {
        String[] octets = octets(entry).split("\\.");
        StringBuilder address = new StringBuilder(entry);
        for (int i = octets.length; i < 4; i++) {
            address.append(".0");
        }
        return Cidr.parse(address + "/" + octets.length * 8);
    }

    /** The entry, checked to have no octet above 255 (Java would take such an address for a host name to resolve). */
    private static String octets(String entry) {
        String address = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
        for (String octet : address.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + entry + "'");
            }
        }
        return entry;
    }

    /** Postfix access(5) style: {@code user@domain} (also with {@code +ext}), {@code user@} in any domain, or a domain. */
    private static Pattern recipientPattern(String entry) {
        int at = entry.indexOf('@');
        String pattern;
        if (at < 0) {
            pattern = "(?:@|\\.)" + Pattern.quote(entry) + "$";
        } else {
            String user = Pattern.quote(entry.substring(0, at));
            String domain = entry.substring(at + 1);
            pattern = "^" + user + "(?:\\+[^@]+)?@" + (domain.isEmpty() ? "" : Pattern.quote(domain) + "$");
        }
        return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
    }
}
