package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;

/** Against James's own memory users repository, recipient rewrite table and domain list. */
class JamesRecipientDirectoryTest {
    private JamesRecipientDirectory directory;
    private MemoryRecipientRewriteTable rrt;

    @BeforeEach
    void setUp() throws Exception {
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false)
            .defaultDomain(Domain.of("example.com")).build());
        MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domains);
        users.addUser(Username.of("alice@example.com"), "secret");
        rrt = new MemoryRecipientRewriteTable();
        rrt.setDomainList(domains);
        rrt.setUsersRepository(users);
        rrt.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        directory = new JamesRecipientDirectory(users, rrt, domains);
    }

    @Test
    void governsTheLocalDomainsOnly() throws Exception {
        assertThat(directory.governs(Domain.of("example.com"))).isTrue();
        assertThat(directory.governs(Domain.of("elsewhere.example"))).isFalse();
    }

    @Test
    void usersAreValidOthersAreNot() throws Exception {
        assertThat(directory.classify(Mail.address("alice@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("nobody@example.com"))).isEqualTo(RecipientClass.INVALID);
        assertThat(directory.classify(Mail.address("alice+tag@example.com"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void aliasesAndForwardsAreValid() throws Exception {
        rrt.addAliasMapping(MappingSource.fromUser("sales", Domain.of("example.com")), "alice@example.com");
        rrt.addForwardMapping(MappingSource.fromUser("fwd", Domain.of("example.com")), "someone@elsewhere.example");

        assertThat(directory.classify(Mail.address("sales@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("fwd@example.com"))).isEqualTo(RecipientClass.VALID);
    }

    @Test
    void anErrorMappingIsRefusedNotBounced() throws Exception {
        rrt.addMapping(MappingSource.fromUser("gone", Domain.of("example.com")), Mapping.error("user has left"));

        assertThat(directory.classify(Mail.address("gone@example.com"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void postmasterAndAbuseAreAlwaysValid() throws Exception {
        assertThat(directory.classify(Mail.address("postmaster@example.com"))).isEqualTo(RecipientClass.VALID);
        assertThat(directory.classify(Mail.address("Abuse@example.com"))).isEqualTo(RecipientClass.VALID);
    }

    /** Longer than any SMTP path, so longer than any user name James can have: unknown, not a failure. */
    @Test
    void anAddressNoMailboxCanHaveIsUnknown() throws Exception {
        assertThat(directory.lookUp(Mail.address("x".repeat(5_000) + "@example.com")))
            .isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, "james", false, "longer than any address"));
        assertThat(directory.classify(Mail.address("x".repeat(300) + "@example.com"))).isEqualTo(RecipientClass.INVALID);
    }

    @Test
    void anAddressJamesCannotLookUpIsAFailureNotAnAnswer() {
        // MailAddress accepts a quoted local part holding '@'; James's users repository cannot look it up.
        assertThatThrownBy(() -> directory.classify(Mail.address("\"odd@local\"@example.com"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explainingNamesJamesAndWhy() throws Exception {
        rrt.addAliasMapping(MappingSource.fromUser("sales", Domain.of("example.com")), "alice@example.com");
        rrt.addMapping(MappingSource.fromUser("gone", Domain.of("example.com")), Mapping.error("user has left"));

        assertThat(directory.lookUp(Mail.address("alice@example.com"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "james", false, "user"));
        assertThat(directory.lookUp(Mail.address("sales@example.com"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "james", false, "alias or forward"));
        assertThat(directory.lookUp(Mail.address("postmaster@example.com"))).isEqualTo(new DirectoryAnswer(RecipientClass.VALID, "james", false, "role account"));
        assertThat(directory.lookUp(Mail.address("nobody@example.com"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, "james", false, "unknown"));
        assertThat(directory.lookUp(Mail.address("gone@example.com"))).isEqualTo(new DirectoryAnswer(RecipientClass.INVALID, "james", false, "error mapping"));
    }
}
