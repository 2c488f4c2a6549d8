package dev.colony.runtime.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.actors.job.JobEntry;
import dev.colony.actors.job.JobIndex;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.learner.LearnerView;
import dev.colony.actors.policy.Deployment;
import dev.colony.runtime.Colony;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The bodies of the API's larger answers: the job listing with progress, the learner in words, the nodes. */
final class ApiViews {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

    /** How many running jobs of a listing are asked for their progress. */
    static final int PROGRESS_OF = 20;

    private final Colony colony;

    ApiViews(Colony colony) {
        this.colony = colony;
    }

    /**
     * The listing as JSON, each of its first running jobs with {@code done} (how many tasks
     * succeeded) and {@code runningTasks}; a succeeded job's {@code done} is all its tasks.
     */
    CompletionStage<Map<String, Object>> withProgress(JobIndex.Listing listing) {
        List<CompletableFuture<Map<String, Object>>> jobs = new ArrayList<>();
        int asked = 0;
        for (JobEntry j : listing.jobs()) {
            Map<String, Object> m = JSON.convertValue(j, new TypeReference<>() {
            });
            if (!j.ended() && asked++ < PROGRESS_OF) {
                jobs.add(colony.progress(j.id()).toCompletableFuture().handle((status, failure) -> {
                    if (status != null && status.phase() != JobStatus.Phase.UNKNOWN) {
                        m.put("done", status.count(TaskSummary.TaskState.SUCCEEDED));
                        m.put("runningTasks", status.count(TaskSummary.TaskState.RUNNING));
                    }
                    return m;
                }));
            } else {
                m.put("done", j.phase() == JobStatus.Phase.SUCCEEDED ? j.tasks() : null);
                jobs.add(CompletableFuture.completedFuture(m));
            }
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("running", listing.running());
            body.put("succeeded", listing.succeeded());
            body.put("failed", listing.failed());
            body.put("jobs", jobs.stream().map(CompletableFuture::join).toList());
            return body;
        });
    }

    /** The view, with the built-in policy's name and the deployed, canary and every recorded genome in words. */
    ObjectNode inWords(LearnerView view) {
        ObjectNode tree = JSON.valueToTree(view);
        Deployment d = view.state().deployment();
        tree.put("basePolicy", colony.settings().policy());
        tree.put("deployedInWords", d.incumbentGenome() == null ? "the built-in " + colony.settings().policy()
                + " policy" : d.incumbentGenome().describe());
        tree.put("canaryInWords", d.canaryGenome() == null ? null : d.canaryGenome().describe());
        var history = (ArrayNode) tree.path("state").path("history");
        for (int i = 0; i < history.size(); i++) {
            ((ObjectNode) history.get(i)).put("words", view.state().history().get(i).genome().describe());
        }
        return tree;
    }

    /** Every node with its capacity and, when it answers in time, its load. */
    CompletionStage<List<Map<String, Object>>> nodes() {
        return colony.loads().thenApply(loads -> loads.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.getKey().name());
            m.put("capacity", e.getKey().capacity());
            m.put("speedFactor", e.getKey().speedFactor());
            m.put("load", e.getValue());
            return m;
        }).toList());
    }
}
