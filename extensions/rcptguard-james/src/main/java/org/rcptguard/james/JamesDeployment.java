package org.rcptguard.james;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Domain;
import org.rcptguard.core.Deployment;
import org.rcptguard.james.directory.RelayDomains;

/** The James RcptGuard decides for: the domains it relays (gateway domains), and whether the DATA hook is loaded. */
@Singleton
public class JamesDeployment implements Deployment {
    private final RelayDomains relayDomains;
    private final DataStageRegistration dataStage;

    @Inject
    public JamesDeployment(RelayDomains relayDomains, DataStageRegistration dataStage) {
        this.relayDomains = relayDomains;
        this.dataStage = dataStage;
    }

    @Override
    public boolean relays(Domain domain) {
        return relayDomains.isRelayed(domain);
    }

    @Override
    public boolean rejectsAfterData() {
        return dataStage.isRegistered();
    }
}
