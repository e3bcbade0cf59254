package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

class SourceChainTest {
    private static SourceChain chain(RecipientDirectory... sources) {
        List<SourceChain.Named> named = new java.util.ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            named.add(new SourceChain.Named("source" + i, sources[i]));
        }
        return new SourceChain("example.net", named);
    }

    private static final RecipientDirectory VALID = address -> Mail.answer(RecipientClass.VALID);
    private static final RecipientDirectory INVALID = address -> Mail.answer(RecipientClass.INVALID);
    private static final RecipientDirectory UNDECIDED = address -> Mail.answer(RecipientClass.UNDECIDED);
    private static final RecipientDirectory FAILING = address -> {
        throw new IllegalStateException("directory down");
    };

    @Test
    void theFirstValidAnswerWins() throws Exception {
        assertThat(chain(INVALID, VALID).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(chain(FAILING, VALID).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(chain(VALID, FAILING).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.VALID);
    }

    @Test
    void invalidOnlyWhenEverySourceSaysSo() throws Exception {
        assertThat(chain(INVALID, INVALID).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.INVALID);
        assertThat(chain(INVALID, UNDECIDED).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(chain(FAILING, INVALID).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(chain(FAILING).classify(Mail.address("a@example.net"))).isEqualTo(RecipientClass.UNDECIDED);
    }
}
