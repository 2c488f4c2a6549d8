package dev.colony.runtime.cli;

import dev.colony.actors.learner.Learner;
import dev.colony.actors.learner.LearnerEvent;
import dev.colony.actors.learner.LearnerState;
import dev.colony.persistence.JournalEntry;
import dev.colony.persistence.JournalReader;
import dev.colony.persistence.JournalSnapshot;
import dev.colony.runtime.ColonySettings;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code colony learner history | model}: the learner's state, folded from its journal. Reads the
 * journal directly, so stop the node first when the journal is H2 (one process owns the file);
 * {@code history --url URL} asks a running node's HTTP API instead, and an embedding service asks
 * a running runtime with {@code Colony.learner()}.
 */
@Command(name = "learner", mixinStandardHelpOptions = true, description = "What the learner has learned and deployed.",
        subcommands = {LearnerCommand.History.class, LearnerCommand.Model.class})
final class LearnerCommand {

    /** {@code colony learner history}. */
    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Every policy version with its genome, simulated and live objective, and why it was "
                    + "promoted or rolled back; then the deployment and the search's progress.")
    static final class History implements Callable<Integer> {

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--url", paramLabel = "URL", description = "Ask a running node's HTTP API (token: "
                + "COLONY_HTTP_TOKEN) instead of reading the journal.")
        String url;

        @Override
        public Integer call() {
            if (url != null) {
                var reply = ApiClient.of(url).send("GET", "/learner", null);
                if (reply.code() != 200) {
                    System.err.println("colony: " + reply.error());
                    return ColonyCli.BAD_INPUT;
                }
                LearnerState state = ApiClient.as(reply.body().path("state"), LearnerState.class);
                LearnerReport.history(state, reply.body().path("basePolicy").asText(), System.out);
                return ColonyCli.OK;
            }
            ColonySettings settings = config.settings();
            LearnerReport.history(state(settings), settings.policy(), System.out);
            return ColonyCli.OK;
        }
    }

    /** {@code colony learner model}. */
    @Command(name = "model", mixinStandardHelpOptions = true,
            description = "The performance model: expected run time per kernel and node, and the job arrival rate.")
    static final class Model implements Callable<Integer> {

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() {
            LearnerReport.model(state(config.settings()), System.out);
            return ColonyCli.OK;
        }
    }

    /** The learner's state: its latest snapshot, then every event after it. */
    static LearnerState state(ColonySettings settings) {
        return JournalAccess.read(settings, reader -> fold(reader, settings, System.out));
    }

    private static LearnerState fold(JournalReader reader, ColonySettings settings, PrintStream out) {
        String id = Learner.PERSISTENCE_ID.id();
        Optional<JournalSnapshot> snapshot = reader.latestSnapshot(id); // the learner deletes the events before it
        if (snapshot.isEmpty() && !reader.persistenceIds().contains(id)) {
            throw new IllegalArgumentException("the journal has no learner events (has a node run with "
                    + "colony.learner.enabled = on?)");
        }
        LearnerState state = snapshot.map(s -> (LearnerState) s.state())
                .orElse(LearnerState.initial(settings.learner().decay()));
        long after = snapshot.map(JournalSnapshot::sequenceNr).orElse(0L);
        int events = 0;
        for (JournalEntry e : reader.events(id)) {
            if (e.sequenceNr() > after) {
                state = state.apply((LearnerEvent) e.event(), settings.learner().window(),
                        settings.learner().maxReplayTasks());
                events++;
            }
        }
        out.println(events + " learner event(s)"
                + (snapshot.isPresent() ? " after its snapshot at event #" + after : ""));
        return state;
    }
}
