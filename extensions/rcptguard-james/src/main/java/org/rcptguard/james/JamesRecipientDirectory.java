package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTable.ErrorMappingException;
import org.apache.james.user.api.UsersRepository;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RoleAccounts;
import org.rcptguard.core.RecipientDirectory;

/**
 * Recipients James itself knows: local domains from the {@link DomainList}; users; aliases, forwards and groups
 * from the {@link RecipientRewriteTable} as James's {@code ValidRcptHandler} sees them; postmaster and abuse always.
 * One difference: an error mapping is INVALID here, so it is refused in the SMTP conversation instead of bounced.
 */
public class JamesRecipientDirectory implements RecipientDirectory {
    public static final String SOURCE = "james";

    private final UsersRepository users;
    private final RecipientRewriteTable recipientRewriteTable;
    private final DomainList domains;

    @Inject
    public JamesRecipientDirectory(UsersRepository users, RecipientRewriteTable recipientRewriteTable, DomainList domains) {
        this.users = users;
        this.recipientRewriteTable = recipientRewriteTable;
        this.domains = domains;
    }

    @Override
    public boolean governs(String domain) throws Exception {
        return domains.containsDomain(Domain.of(domain));
    }

    /** The source is {@code james}; the reason {@code role account}, {@code user}, {@code alias or forward}, {@code unknown} or {@code error mapping}. */
    @Override
    public DirectoryAnswer explain(String address) throws Exception {
        MailAddress recipient = new MailAddress(address);
        if (RoleAccounts.isRoleAccount(recipient.getLocalPart())) {
            return new DirectoryAnswer(RecipientClass.VALID, SOURCE, false, "role account");
        }
        if (users.contains(users.getUsername(recipient))) {
            return new DirectoryAnswer(RecipientClass.VALID, SOURCE, false, "user");
        }
        try {
            boolean mapped = !recipientRewriteTable.getResolvedMappings(recipient.getLocalPart(), recipient.getDomain()).isEmpty();
            return mapped ? new DirectoryAnswer(RecipientClass.VALID, SOURCE, false, "alias or forward")
                : new DirectoryAnswer(RecipientClass.INVALID, SOURCE, false, "unknown");
        } catch (ErrorMappingException e) {
            return new DirectoryAnswer(RecipientClass.INVALID, SOURCE, false, "error mapping");
        }
    }

    @Override
    public RecipientClass classify(String address) throws Exception {
        MailAddress recipient = new MailAddress(address);
        if (RoleAccounts.isRoleAccount(recipient.getLocalPart())) {
            return RecipientClass.VALID;
        }
        if (users.contains(users.getUsername(recipient))) {
            return RecipientClass.VALID;
        }
        try {
            boolean mapped = !recipientRewriteTable.getResolvedMappings(recipient.getLocalPart(), recipient.getDomain()).isEmpty();
            return mapped ? RecipientClass.VALID : RecipientClass.INVALID;
        } catch (ErrorMappingException e) {
            return RecipientClass.INVALID;
        }
    }
}
