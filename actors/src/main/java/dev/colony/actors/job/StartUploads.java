package dev.colony.actors.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Starts a job entity has been sent in parts ({@link Job.Start#parts()} &gt; 0: a spec too large
 * for one message between members), collected per submission until the Start and every part have
 * arrived, in any order. Nothing here is journalled: a part lost with a restart is sent again by
 * the job manager, with the rest, until the job is accepted. At most {@link #MOST} submissions are
 * collected at once (two clients racing for one job id); the oldest is dropped for a newer one.
 */
final class StartUploads {

    /** Most submissions whose parts are collected at once. */
    static final int MOST = 4;

    private final Map<String, Upload> bySubmission = new LinkedHashMap<>();

    private static final class Upload {
        Job.Start start;
        final Map<Integer, List<TaskSpec>> parts = new HashMap<>();

        /** The whole Start once every part is in, else null. */
        Job.Start whole() {
            if (start == null || parts.size() < start.parts()) {
                return null;
            }
            List<TaskSpec> tasks = new ArrayList<>();
            for (int i = 0; i < start.parts(); i++) {
                List<TaskSpec> part = parts.get(i);
                if (part == null) {
                    return null; // a part with a bad index came before the Start
                }
                tasks.addAll(part);
            }
            return start.whole(tasks);
        }
    }

    /** Takes the Start of a parted submission; returns it whole if its parts are all in, else null. */
    Job.Start start(Job.Start start) {
        Upload u = upload(start.submission());
        u.start = start;
        return done(start.submission(), u);
    }

    /** Takes a part; returns its Start whole if that completes it, else null. */
    Job.Start part(Job.StartPart part) {
        Upload u = upload(part.submission());
        if (part.index() >= 0 && (u.start == null || part.index() < u.start.parts())) {
            u.parts.putIfAbsent(part.index(), part.tasks());
        }
        return done(part.submission(), u);
    }

    /** Whether no submission is being collected. */
    boolean isEmpty() {
        return bySubmission.isEmpty();
    }

    private Upload upload(String submission) {
        Upload u = bySubmission.get(submission);
        if (u == null) {
            if (bySubmission.size() >= MOST) {
                Iterator<String> oldest = bySubmission.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            u = new Upload();
            bySubmission.put(submission, u);
        }
        return u;
    }

    private Job.Start done(String submission, Upload u) {
        Job.Start whole = u.whole();
        if (whole != null) {
            bySubmission.remove(submission);
        }
        return whole;
    }
}
