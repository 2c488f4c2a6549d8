package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobEvent;
import dev.colony.actors.task.Task;
import dev.colony.persistence.JournalEntry;
import dev.colony.persistence.JournalReader;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code colony journal inspect [--job ID]}: the operator's first look at a journal after a crash. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Read the journal of job and task events.",
        subcommands = JournalCommand.Inspect.class)
final class JournalCommand {

    /** {@code colony journal inspect}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Without --job: list the journalled jobs with their last event. With --job: print the "
                    + "events of the job and of its tasks in the order they were written. Stop the node first "
                    + "when the journal is H2 (one process owns the file).")
    static final class Inspect implements Callable<Integer> {

        private static final int MAX_JSON = 240;
        private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--job", paramLabel = "ID", description = "The job whose events to print.")
        String jobId;

        @Override
        public Integer call() {
            return JournalAccess.read(config.settings(), reader -> jobId == null ? list(reader, System.out)
                    : inspect(reader, System.out));
        }

        private int list(JournalReader reader, PrintStream out) {
            List<String> ids = reader.persistenceIds();
            String jobPrefix = Job.TYPE_KEY.name() + "|";
            int jobs = 0;
            for (String pid : ids) {
                if (!pid.startsWith(jobPrefix)) {
                    continue;
                }
                jobs++;
                String id = pid.substring(jobPrefix.length());
                try {
                    List<JournalEntry> events = reader.events(pid);
                    JournalEntry last = events.getLast();
                    List<JobEvent> all = events.stream().flatMap(e -> e.event() instanceof JobEvent j
                            ? JobEvent.unbatched(j).stream() : java.util.stream.Stream.empty()).toList();
                    long done = all.stream().filter(e -> e instanceof JobEvent.TaskSucceeded).count();
                    Object lastEvent = all.isEmpty() ? last.event() : all.getLast();
                    out.printf("%-30s %5d events, %5d task successes, last: %s at %s%n", id, all.size(), done,
                            lastEvent.getClass().getSimpleName(), Instant.ofEpochMilli(last.timestampMs()));
                } catch (RuntimeException e) {
                    out.printf("%-30s UNREADABLE: %s%n", id, e.getMessage());
                }
            }
            out.println(jobs + " job(s)");
            return ColonyCli.OK;
        }

        private int inspect(JournalReader reader, PrintStream out) {
            List<String> pids = new ArrayList<>();
            pids.add(Job.TYPE_KEY.name() + "|" + jobId);
            reader.persistenceIds().stream().filter(p -> p.startsWith(taskPrefix(jobId))).forEach(pids::add);
            List<JournalEntry> all = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (String pid : pids) {
                try {
                    all.addAll(reader.events(pid));
                } catch (RuntimeException e) {
                    unreadable.add(e.getMessage());
                }
            }
            if (all.isEmpty() && unreadable.isEmpty()) {
                throw new IllegalArgumentException("the journal has no events of job '" + jobId + "'");
            }
            all.sort(Comparator.comparingLong(JournalEntry::ordering));
            int printed = 0;
            for (JournalEntry e : all) {
                // a batch's events on lines of their own, under its row's ordering and sequence number
                List<?> events = e.event() instanceof JobEvent j ? JobEvent.unbatched(j) : List.of(e.event());
                for (Object event : events) {
                    out.printf("%8d %s %-34s #%-3d %-17s %s%n", e.ordering(), Instant.ofEpochMilli(e.timestampMs()),
                            e.persistenceId(), e.sequenceNr(), event.getClass().getSimpleName(), json(event));
                    printed++;
                }
            }
            unreadable.forEach(u -> out.println("UNREADABLE " + u));
            out.println(printed + " event(s) of job '" + jobId + "'" + (pids.size() > 1 ? " and " + (pids.size() - 1)
                    + " task journal(s) of an older version" : ""));
            return unreadable.isEmpty() ? ColonyCli.OK : ColonyCli.RUNTIME_ERROR;
        }

        /** Tasks had journals of their own before the job became the unit of durability: older journals show them. */
        private static String taskPrefix(String job) {
            return Task.TYPE_KEY.name() + "|" + job + "/";
        }

        private static String json(Object event) {
            try {
                String s = JSON.writeValueAsString(event);
                return s.length() <= MAX_JSON ? s : s.substring(0, MAX_JSON) + "...(" + s.length() + " chars)";
            } catch (Exception e) {
                return String.valueOf(event);
            }
        }
    }
}
