package org.rcptguard.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.RecipientClass;

class SourceChainTest {
    private static SourceChain chain(RecipientSource... sources) {
        List<SourceChain.Named> named = new java.util.ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            named.add(new SourceChain.Named("source" + i, sources[i]));
        }
        return new SourceChain("example.net", named);
    }

    private static final RecipientSource VALID = address -> RecipientClass.VALID;
    private static final RecipientSource INVALID = address -> RecipientClass.INVALID;
    private static final RecipientSource UNDECIDED = address -> RecipientClass.UNDECIDED;
    private static final RecipientSource FAILING = address -> {
        throw new IllegalStateException("directory down");
    };

    @Test
    void theFirstValidAnswerWins() {
        assertThat(chain(INVALID, VALID).classify("a@example.net")).isEqualTo(RecipientClass.VALID);
        assertThat(chain(FAILING, VALID).classify("a@example.net")).isEqualTo(RecipientClass.VALID);
        assertThat(chain(VALID, FAILING).classify("a@example.net")).isEqualTo(RecipientClass.VALID);
    }

    @Test
    void invalidOnlyWhenEverySourceSaysSo() {
        assertThat(chain(INVALID, INVALID).classify("a@example.net")).isEqualTo(RecipientClass.INVALID);
        assertThat(chain(INVALID, UNDECIDED).classify("a@example.net")).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(chain(FAILING, INVALID).classify("a@example.net")).isEqualTo(RecipientClass.UNDECIDED);
        assertThat(chain(FAILING).classify("a@example.net")).isEqualTo(RecipientClass.UNDECIDED);
    }
}
