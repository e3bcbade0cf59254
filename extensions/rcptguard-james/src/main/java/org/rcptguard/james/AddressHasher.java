package org.rcptguard.james;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.james.core.MailAddress;

/**
 * Pseudonymises addresses for the decision log ({@code decision.log.hash.addresses=true}): HMAC-SHA256 keyed with
 * {@code decision.log.hash.secret}, the first 16 hexadecimal digits (64 bits), prefixed {@code h:}. The same address
 * gives the same hash on every node with the same secret, so lines can still be correlated; without the secret a
 * hash cannot be reversed by hashing guesses. Email addresses keep their domain in clear
 * ({@code h:0123456789abcdef@example.com}): per-domain analysis stays possible, the person is hidden.
 */
final class AddressHasher {
    static final String PREFIX = "h:";
    private static final int HEX_DIGITS = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    AddressHasher(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** A client IP address, or any text: hashed whole. */
    String hash(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal(text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(PREFIX);
            for (int i = 0; i < HEX_DIGITS / 2; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** An email address: its local part hashed (with the domain, so equal local parts of two domains differ), its domain kept. */
    String hashEmail(MailAddress address) {
        return hash(address.asString()) + "@" + address.getDomain().asString();
    }
}
