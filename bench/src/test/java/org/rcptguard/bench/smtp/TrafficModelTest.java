package org.rcptguard.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class TrafficModelTest {
    private final TrafficModel model = new TrafficModel("example.com", 20, 4, 4);

    @Test
    void steadySessionsUseOnlyWarmedTriplets() {
        Set<String> warmed = model.warmUpTransactions(10).stream()
            .flatMap(t -> t.recipients().stream().map(r -> network(t) + " " + t.sender() + " " + r))
            .collect(Collectors.toSet());
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            for (Transaction t : model.session(Scenario.STEADY, 5, random)) {
                t.recipients().forEach(r -> assertThat(warmed).contains(network(t) + " " + t.sender() + " " + r));
            }
        }
    }

    @Test
    void passedClientsStayBelowTheUsualAutoWhitelistThreshold() {
        Map<String, Long> tripletsPerPassedNetwork = model.warmUpTransactions(10).stream()
            .filter(t -> t.clientAddress().startsWith("127.11."))
            .collect(Collectors.groupingBy(TrafficModelTest::network,
                Collectors.summingLong(t -> t.recipients().size())));
        assertThat(tripletsPerPassedNetwork).hasSize(4);
        assertThat(tripletsPerPassedNetwork.values()).allMatch(count -> count < 5);
    }

    @Test
    void firstContactNeverRepeatsASenderAndScansAreMostlyUnknown() {
        Random random = new Random(3);
        List<Transaction> first = model.session(Scenario.FIRST_CONTACT, 50, random);
        assertThat(first.stream().map(Transaction::sender).distinct().count()).isEqualTo(50);

        List<String> scanned = model.session(Scenario.SCAN, 50, random).stream()
            .flatMap(t -> t.recipients().stream()).collect(Collectors.toList());
        long unknown = scanned.stream().filter(r -> r.startsWith("probe")).count();
        assertThat(unknown).isBetween(scanned.size() * 8L / 10, scanned.size() * 97L / 100);
    }

    @Test
    void everySenderOfTheSteadyStateAndOfScansPublishesSpfForItsClientsAndHalfTheFirstContactsDo() {
        Map<String, String> records = model.spfRecords();
        Random random = new Random(11);
        for (Scenario scenario : List.of(Scenario.STEADY, Scenario.SCAN)) {
            for (int i = 0; i < 50; i++) {
                for (Transaction t : model.session(scenario, 5, random)) {
                    String client = t.clientAddress();
                    assertThat(records.get(domain(t))).as(t.sender())
                        .isEqualTo("v=spf1 ip4:" + client.substring(0, client.indexOf('.', 4)) + ".0.0/16 -all");
                }
            }
        }
        Map<Boolean, Long> firstContacts = model.session(Scenario.FIRST_CONTACT, 970, random).stream()
            .collect(Collectors.partitioningBy(t -> records.containsKey(domain(t)), Collectors.counting()));
        assertThat(firstContacts.get(true)).isEqualTo(490);
        assertThat(firstContacts.get(false)).isEqualTo(480);
        model.session(Scenario.FIRST_CONTACT, 20, random).stream().filter(t -> records.containsKey(domain(t)))
            .forEach(t -> assertThat(records.get(domain(t))).isEqualTo("v=spf1 ip4:127.20.0.0/16 -all"));
    }

    @Test
    void refusesAModelWithoutClientsOrRecipients() {
        assertThatThrownBy(() -> new TrafficModel("example.com", 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrafficModel("example.com", 20, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scenario.parse("steady-state")).hasMessageContaining("first-contact");
    }

    private static String domain(Transaction transaction) {
        return transaction.sender().substring(transaction.sender().indexOf('@') + 1);
    }

    private static String network(Transaction transaction) {
        return transaction.clientAddress().substring(0, transaction.clientAddress().lastIndexOf('.'));
    }
}
