package org.rcptguard.core;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.BooleanSupplier;

import org.apache.james.core.Domain;

/** A deployment the test sets: no relayed domain and the DATA hook loaded, until told otherwise. */
public final class TestDeployment implements Deployment {
    private final Set<String> relayed = new CopyOnWriteArraySet<>();
    private volatile BooleanSupplier dataStage = () -> true;

    public TestDeployment relay(String domain) {
        relayed.add(domain.toLowerCase(Locale.ROOT));
        return this;
    }

    public void dataStage(BooleanSupplier loaded) {
        this.dataStage = loaded;
    }

    @Override
    public boolean relays(Domain domain) {
        return relayed.contains(domain.asString());
    }

    @Override
    public boolean rejectsAfterData() {
        return dataStage.getAsBoolean();
    }
}
