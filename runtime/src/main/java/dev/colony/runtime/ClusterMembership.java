package dev.colony.runtime;

import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import dev.colony.actors.output.Checksums;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.internal.JournalLease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a process joins a cluster, and the rule that every member shares one journal: each member
 * carries a role naming its journal (a digest of the PostgreSQL URL, or of the file of an H2 journal
 * one member serves to the others of its host; for other H2 journals and the memory journal, a token
 * of its own, since those belong to one process), and a process that finds a member with
 * another journal refuses to start.
 */
final class ClusterMembership {

    /** Prefix of the journal role. */
    static final String JOURNAL_ROLE = "colony-journal-";

    private ClusterMembership() {
    }

    /**
     * The role naming {@code journal}.
     */
    static String journalRole(PersistenceSettings persistence) {
        JournalSettings journal = persistence.journal();
        return JOURNAL_ROLE + switch (journal.kind()) {
            case POSTGRES -> "postgres-"
                    + Checksums.sha256(journal.url().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
            case H2 -> "h2-" + (shared(persistence) ? Checksums.sha256(realPath(journal.h2File()).getBytes(
                    StandardCharsets.UTF_8)).substring(0, 16) : UUID.randomUUID());
            case MEMORY -> "memory-" + UUID.randomUUID();
        };
    }

    /**
     * Refuses a process that would join a cluster with a journal of its own.
     *
     * @throws IllegalArgumentException naming the setting, when {@code seeds} is not empty and the
     *                                  journal is H2 or memory
     */
    static void checkJoinable(PersistenceSettings persistence, List<String> seeds) {
        JournalSettings journal = persistence.journal();
        if (!seeds.isEmpty() && journal.kind() != JournalSettings.Kind.POSTGRES && !shared(persistence)) {
            throw new IllegalArgumentException("colony.seed-nodes = " + seeds + " joins a cluster, but "
                    + "colony.persistence.journal = " + journal.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " is the journal of one process: every node of a cluster must share one PostgreSQL journal "
                    + "(colony.persistence.journal = postgres), or, on one machine, one process's H2 journal "
                    + "(colony.persistence.h2.serve-port there, .served-by in the others)");
        }
    }

    /** Whether the journal is an H2 journal this process serves to others or uses from another. */
    private static boolean shared(PersistenceSettings persistence) {
        return persistence.journal().served() || persistence.h2ServePort() >= 0;
    }

    private static String realPath(Path file) {
        try {
            return file.getParent().toRealPath().resolve(file.getFileName()).toString();
        } catch (IOException e) {
            return file.toString(); // not there yet: as it is named
        }
    }

    /** A member whose journal differs from {@code ownRole}'s, if any. */
    static Optional<Member> otherJournal(Iterable<Member> members, String ownRole) {
        for (Member m : members) {
            for (String role : m.getRoles()) {
                if (role.startsWith(JOURNAL_ROLE) && !role.equals(ownRole)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Fails when another live cluster keeps its events in this process's PostgreSQL journal (see
     * {@link JournalLease}); waits up to {@code colony.health.cluster-lease-ttl} for the lease of a
     * cluster that crashed to lapse.
     */
    static void refuseAnotherCluster(Cluster cluster, JournalSettings journal, com.typesafe.config.Config config) {
        if (journal.kind() == JournalSettings.Kind.POSTGRES) {
            JournalLease.refuseAnotherCluster(journal, cluster, config.getDuration("colony.health.cluster-lease-ttl"));
        }
    }

    /** Fails when a member of the cluster this process joined keeps its events in another journal. */
    static void refuseAnotherJournal(Cluster cluster) {
        String own = cluster.selfMember().getRoles().stream().filter(r -> r.startsWith(JOURNAL_ROLE))
                .findFirst().orElseThrow();
        otherJournal(cluster.state().getMembers(), own).ifPresent(m -> {
            throw new IllegalArgumentException("cluster member " + m.address() + " uses another journal than this "
                    + "process: every node of a cluster must share one journal (colony.persistence.journal = postgres "
                    + "with the same colony.persistence.postgres.url, or the H2 journal one member of this host serves: "
                    + "colony.persistence.h2.served-by = its data directory)");
        });
    }
}
