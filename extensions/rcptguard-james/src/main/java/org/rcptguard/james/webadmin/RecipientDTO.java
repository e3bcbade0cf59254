package org.rcptguard.james.webadmin;

import java.util.Optional;

import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A recipient as the directory answered: whether its domain is governed here, its class, the source that answered
 * ({@code james}, {@code list}, {@code ldap}, {@code smtp}), whether the answer was cached, why; and the error when
 * the look-up failed.
 */
@JsonPropertyOrder({"address", "governed", "class", "directory", "cached", "reason", "error"})
public class RecipientDTO {
    private final String address;
    private final Optional<Boolean> governed;
    private final Optional<DirectoryAnswer> answer;
    private final String reason;
    private final Optional<String> error;

    private RecipientDTO(String address, Optional<Boolean> governed, Optional<DirectoryAnswer> answer, String reason,
                         Optional<String> error) {
        this.address = address;
        this.governed = governed;
        this.answer = answer;
        this.reason = reason;
        this.error = error;
    }

    static RecipientDTO notGoverned(String address) {
        return new RecipientDTO(address, Optional.of(false), Optional.empty(), "domain not hosted or relayed here", Optional.empty());
    }

    static RecipientDTO answered(String address, DirectoryAnswer answer) {
        return new RecipientDTO(address, Optional.of(true), Optional.of(answer), answer.reason(), Optional.empty());
    }

    static RecipientDTO failed(String address, Exception error) {
        return new RecipientDTO(address, Optional.empty(),
            Optional.of(new DirectoryAnswer(RecipientClass.UNDECIDED, null, false, "failed")), "failed",
            Optional.of(error.getClass().getSimpleName() + ": " + error.getMessage()));
    }

    public String getAddress() {
        return address;
    }

    /** Null when the look-up failed before telling. */
    public Optional<Boolean> getGoverned() {
        return governed;
    }

    /** Null for a domain not governed here. */
    @JsonProperty("class")
    public Optional<String> getRecipientClass() {
        return answer.map(found -> found.recipientClass().name());
    }

    public Optional<String> getDirectory() {
        return answer.map(DirectoryAnswer::source);
    }

    public boolean isCached() {
        return answer.map(DirectoryAnswer::cached).orElse(false);
    }

    public String getReason() {
        return reason;
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<String> getError() {
        return error;
    }
}
