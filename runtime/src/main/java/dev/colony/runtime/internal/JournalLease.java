package dev.colony.runtime.internal;

import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.UniqueAddress;
import akka.cluster.typed.Cluster;
import dev.colony.actors.kernel.Brief;
import dev.colony.persistence.JournalSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One cluster per PostgreSQL journal: a lease row in the journal's database, renewed by the
 * oldest reachable member of the cluster that holds it (every {@code colony.health.check-every},
 * by {@link JournalHealth}) and taken over by another member of that cluster when the holder is
 * gone. A process that would start a second cluster on the journal (a first node restarted
 * without seeds while the others run) finds the lease renewed by a stranger and refuses to start,
 * naming the holder and how to join it; a lease nobody renews lapses after {@code ttl}, so a
 * whole cluster that crashed restarts after that wait. Times are the database's own clock.
 * H2 needs none: one process holds its file.
 */
public final class JournalLease {

    private static final String TABLE = "colony_cluster_lease";

    private final Cluster cluster;
    private final Duration ttl;
    private final String self;

    JournalLease(Cluster cluster, Duration ttl) {
        this.cluster = cluster;
        this.ttl = ttl;
        this.self = id(cluster.selfMember().uniqueAddress());
    }

    /** The lease's holder now and how long ago it renewed, or null when nobody holds it. */
    private record Held(String holder, double renewedAt, double ageSeconds) {
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, holder VARCHAR(512) NOT NULL, "
                    + "renewed_at TIMESTAMPTZ NOT NULL)");
        }
    }

    /**
     * Renews the lease when this process is its cluster's oldest reachable member (taking it over
     * from a holder of its own cluster, or one that lapsed), else checks who holds it. Returns why
     * this process must take no work (another live cluster holds the journal), or null.
     */
    String renew(Connection c) throws SQLException {
        Set<String> members = members();
        if (self.equals(oldestReachable())) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (id, holder, renewed_at) VALUES "
                    + "(1, ?, now()) ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, renewed_at = now() WHERE "
                    + TABLE + ".holder = ANY (?) OR " + TABLE + ".renewed_at < now() - make_interval(secs => ?)")) {
                p.setQueryTimeout(10);
                p.setString(1, self);
                p.setArray(2, c.createArrayOf("varchar", members.toArray()));
                p.setDouble(3, ttl.toMillis() / 1000.0);
                if (p.executeUpdate() == 1) {
                    c.commit();
                    return null;
                }
            }
            c.commit();
        }
        Held held = held(c);
        c.commit();
        return held != null && held.ageSeconds() < ttl.toMillis() / 1000.0 && !members.contains(held.holder())
                ? anotherCluster(held) : null;
    }

    /** Gives the lease up if this process holds it (a member that leaves in order). */
    void release(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = 1 AND holder = ?")) {
            p.setString(1, self);
            p.executeUpdate();
        }
        c.commit();
    }

    /**
     * At start, before this process hosts anything: returns when no other cluster holds the journal
     * (nobody holds the lease, a member of this cluster does, or its holder stops renewing it
     * within {@code ttl}: a crashed cluster); throws when another cluster keeps renewing it.
     *
     * @throws IllegalStateException naming the holder and how to join its cluster
     */
    public static void refuseAnotherCluster(JournalSettings journal, Cluster cluster, Duration ttl) {
        JournalLease lease = new JournalLease(cluster, ttl);
        try (Connection c = journal.connect()) {
            createTable(c);
            double ttlSeconds = ttl.toMillis() / 1000.0;
            Held first = held(c);
            if (first == null || lease.members().contains(first.holder()) || first.ageSeconds() >= ttlSeconds) {
                return;
            }
            long deadline = System.nanoTime() + ttl.toNanos() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(250);
                Held now = held(c);
                if (now == null || lease.members().contains(now.holder()) || now.ageSeconds() >= ttlSeconds) {
                    return; // released, or its holder stopped renewing it: a cluster that crashed
                }
                if (!now.holder().equals(first.holder()) || now.renewedAt() != first.renewedAt()) {
                    throw new IllegalStateException(anotherCluster(now)); // renewed: that cluster is alive
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cluster lease in the " + journal.describe() + ": "
                    + Brief.text(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the cluster lease", e);
        }
    }

    private static Held held(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT holder, EXTRACT(EPOCH FROM renewed_at), EXTRACT(EPOCH FROM (now() - "
                     + "renewed_at)) FROM " + TABLE + " WHERE id = 1")) {
            return r.next() ? new Held(r.getString(1), r.getDouble(2), r.getDouble(3)) : null;
        }
    }

    private static String anotherCluster(Held held) {
        String address = held.holder().replaceFirst("#-?\\d+$", "");
        String hostPort = address.replaceFirst("^[a-z]+://[^@]+@", "");
        return "another cluster uses this journal: its member " + address + " renewed the journal's cluster lease "
                + String.format(java.util.Locale.ROOT, "%.1f", held.ageSeconds()) + " s ago. Join it (colony node "
                + "--seed " + hostPort + ", or colony.seed-nodes) instead of starting a cluster of its own; a lease "
                + "nobody renews lapses after colony.health.cluster-lease-ttl";
    }

    /** Every member this process knows of, whatever its state: any of them may hold the lease. */
    private Set<String> members() {
        Set<String> ids = new HashSet<>();
        for (Member m : cluster.state().getMembers()) {
            ids.add(id(m.uniqueAddress()));
        }
        ids.add(self);
        return ids;
    }

    /** The oldest member that is up and reachable from here. */
    private String oldestReachable() {
        Set<Member> unreachable = cluster.state().getUnreachable();
        List<Member> up = new ArrayList<>();
        for (Member m : cluster.state().getMembers()) {
            if (m.status() == MemberStatus.up() && !unreachable.contains(m)) {
                up.add(m);
            }
        }
        return up.stream().reduce((a, b) -> a.isOlderThan(b) ? a : b).map(m -> id(m.uniqueAddress())).orElse(null);
    }

    private static String id(UniqueAddress a) {
        return a.address() + "#" + a.longUid();
    }
}
