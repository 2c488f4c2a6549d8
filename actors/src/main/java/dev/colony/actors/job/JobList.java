package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs {@link JobIndex} knows, oldest first: every running one and the latest {@code keep}
 * that ended. Immutable; {@link #record} returns a new list.
 */
public record JobList(List<JobEntry> jobs) implements CborSerializable {

    /** No jobs. */
    public static final JobList EMPTY = new JobList(List.of());

    /** Replaces an absent list with an empty one. */
    public JobList {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /**
     * The list with {@code entry} added, or replacing the entry with its id; an ended entry is not
     * replaced by a running one (a late report of its start). Drops the oldest ended jobs beyond
     * {@code keep}.
     */
    public JobList record(JobEntry entry, int keep) {
        return record(List.of(entry), keep);
    }

    /**
     * The list with each of {@code entries} recorded in turn as {@link #record(JobEntry, int)} does,
     * in one pass over the list (a batch of k records costs the list's length plus k, not k times it).
     */
    public JobList record(List<JobEntry> entries, int keep) {
        Map<String, JobEntry> byId = new LinkedHashMap<>(Math.max(16, (jobs.size() + entries.size()) * 4 / 3));
        jobs.forEach(j -> byId.put(j.id(), j));
        boolean changed = false;
        for (JobEntry entry : entries) {
            JobEntry known = byId.get(entry.id());
            if (known == null || !known.ended() || entry.ended()) {
                byId.put(entry.id(), entry);
                changed = true;
            }
        }
        if (!changed) {
            return this;
        }
        long ended = byId.values().stream().filter(JobEntry::ended).count();
        List<JobEntry> kept = new ArrayList<>(byId.size());
        for (JobEntry j : byId.values()) {
            if (j.ended() && ended > keep) {
                ended--;
            } else {
                kept.add(j);
            }
        }
        return new JobList(kept);
    }

    /** Up to {@code limit} jobs, newest first, in {@code phase} (null: any). */
    public List<JobEntry> newest(JobStatus.Phase phase, int limit) {
        List<JobEntry> out = new ArrayList<>();
        for (JobEntry j : jobs.reversed()) {
            if (out.size() == limit) {
                break;
            }
            if (phase == null || j.phase() == phase) {
                out.add(j);
            }
        }
        return out;
    }

    /** Whether job {@code jobId} is in the list. */
    public boolean lists(String jobId) {
        for (JobEntry j : jobs) {
            if (j.id().equals(jobId)) {
                return true;
            }
        }
        return false;
    }

    /** How many jobs are in {@code phase}. */
    public long count(JobStatus.Phase phase) {
        return jobs.stream().filter(j -> j.phase() == phase).count();
    }
}
