package io.sensorhub.consumer.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sensorhub.consumer.ingest.PartitionCoordinator.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share each member takes ({@link PartitionCoordinator#plan}): rounds of every member
 * converge to every partition owned by exactly one live member, shares within one of each
 * other, and a partition changes owner only through being free.
 */
class PartitionPlanTest {

    @ParameterizedTest(name = "{0} partitions over {1} members")
    @CsvSource({ "16,1", "16,2", "16,3", "16,5", "16,16", "16,20", "1,3", "7,2" })
    void roundsFromNothingConvergeToSharesWithinOne(int partitions, int members) {
        Map<Integer, String> owners = unowned(partitions);
        List<String> live = members(members);
        roundsUntilStable(owners, live);
        assertThat(owners.values()).doesNotContainNull();
        Map<String, Integer> shares = shares(owners, live);
        assertThat(shares.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(partitions);
        int min = shares.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = shares.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void aDeadMembersPartitionsAreFreeForTheOthers() {
        Map<Integer, String> owners = unowned(16);
        List<String> live = members(3);
        roundsUntilStable(owners, live);
        String dead = live.remove(1);
        Plan plan = PartitionCoordinator.plan(owners, live, live.get(0));
        assertThat(plan.claim()).isNotEmpty()
            .allSatisfy(partition -> assertThat(owners.get(partition)).isEqualTo(dead));
        roundsUntilStable(owners, live);
        assertThat(owners.values()).doesNotContain(dead).doesNotContainNull();
        assertThat(shares(owners, live).values()).containsExactlyInAnyOrder(8, 8);
    }

    @Test
    void aJoiningMemberGetsItsShareOnlyFromWhatOthersRelease() {
        Map<Integer, String> owners = unowned(16);
        List<String> live = members(2);
        roundsUntilStable(owners, live);
        live.add("m9");
        // the newcomer finds nothing free: it waits until the others released
        assertThat(PartitionCoordinator.plan(owners, live, "m9").claim()).isEmpty();
        Plan first = PartitionCoordinator.plan(owners, live, live.get(0));
        assertThat(first.claim()).isEmpty();
        assertThat(first.release()).hasSize(2);
        assertThat(first.keep()).hasSize(6).doesNotContainAnyElementsOf(first.release());
        roundsUntilStable(owners, live);
        assertThat(shares(owners, live).values()).containsExactlyInAnyOrder(6, 5, 5);
    }

    @Test
    void aMemberNotLiveOwnsNothing() {
        Map<Integer, String> owners = unowned(4);
        owners.put(0, "gone");
        Plan plan = PartitionCoordinator.plan(owners, List.of("m1"), "gone");
        assertThat(plan.keep()).isEmpty();
        assertThat(plan.claim()).isEmpty();
        assertThat(plan.release()).isEmpty();
    }

    @Test
    void everyRoundNeverGivesOnePartitionTwoOwners() {
        Map<Integer, String> owners = unowned(16);
        List<String> live = members(1);
        roundsUntilStable(owners, live);
        for (int joining = 2; joining <= 5; joining++) {
            live.add("m" + joining);
            for (int round = 0; round < 10; round++) {
                for (String member : live) {
                    Plan plan = PartitionCoordinator.plan(owners, live, member);
                    plan.claim().forEach(partition -> assertThat(owners.get(partition)).isNotIn(live));
                    apply(owners, member, plan);
                }
            }
        }
        assertThat(shares(owners, live).values()).allSatisfy(share -> assertThat(share).isBetween(3, 4));
    }

    private static void roundsUntilStable(Map<Integer, String> owners, List<String> live) {
        for (int round = 0; round < 20; round++) {
            boolean changed = false;
            for (String member : live) {
                Plan plan = PartitionCoordinator.plan(owners, live, member);
                changed |= !plan.claim().isEmpty() || !plan.release().isEmpty();
                apply(owners, member, plan);
            }
            if (!changed) {
                return;
            }
        }
        throw new AssertionError("no stable assignment after 20 rounds: " + owners);
    }

    private static void apply(Map<Integer, String> owners, String member, Plan plan) {
        plan.claim().forEach(partition -> owners.put(partition, member));
        plan.release().forEach(partition -> owners.put(partition, null));
        plan.release().forEach(partition -> assertThat(plan.keep()).doesNotContain(partition));
    }

    private static Map<String, Integer> shares(Map<Integer, String> owners, List<String> live) {
        Map<String, Integer> shares = new HashMap<>();
        live.forEach(member -> shares.put(member, 0));
        owners.values().forEach(owner -> shares.merge(owner, 1, Integer::sum));
        assertThat(shares.keySet()).containsExactlyInAnyOrderElementsOf(live);
        return shares;
    }

    private static Map<Integer, String> unowned(int partitions) {
        Map<Integer, String> owners = new TreeMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            owners.put(partition, null);
        }
        return owners;
    }

    private static List<String> members(int count) {
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            members.add("m" + i);
        }
        return members;
    }

}
