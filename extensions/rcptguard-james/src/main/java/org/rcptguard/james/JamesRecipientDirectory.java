package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTable.ErrorMappingException;
import org.apache.james.user.api.UsersRepository;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RoleAccounts;
import org.rcptguard.core.RecipientDirectory;

/**
 * Recipients James itself knows: local domains from the {@link DomainList}; users; aliases, forwards and groups
 * from the {@link RecipientRewriteTable} as James's {@code ValidRcptHandler} sees them; postmaster and abuse always.
 * One difference: an error mapping is INVALID here, so it is refused in the SMTP conversation instead of bounced.
 * An address longer than any SMTP path is INVALID without asking James (its users repository refuses to look up
 * an address longer than a user name can be); any other refusal of James's is a failure to look up (UNDECIDED).
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
    public boolean governs(Domain domain) throws Exception {
        return domains.containsDomain(domain);
    }

    /** The reason is {@code role account}, {@code user}, {@code alias or forward}, {@code unknown} or {@code error mapping}. */
    @Override
    public DirectoryAnswer lookUp(MailAddress recipient) throws Exception {
        if (RoleAccounts.contains(recipient)) {
            return answer(RecipientClass.VALID, "role account");
        }
        if (Addresses.noMailboxCanHave(recipient)) {
            return DirectoryAnswer.noMailbox(SOURCE);
        }
        if (users.contains(users.getUsername(recipient))) {
            return answer(RecipientClass.VALID, "user");
        }
        try {
            boolean mapped = !recipientRewriteTable.getResolvedMappings(recipient.getLocalPart(), recipient.getDomain()).isEmpty();
            return mapped ? answer(RecipientClass.VALID, "alias or forward") : answer(RecipientClass.INVALID, "unknown");
        } catch (ErrorMappingException e) {
            return answer(RecipientClass.INVALID, "error mapping");
        }
    }

    private static DirectoryAnswer answer(RecipientClass recipientClass, String reason) {
        return new DirectoryAnswer(recipientClass, SOURCE, false, reason);
    }
}
