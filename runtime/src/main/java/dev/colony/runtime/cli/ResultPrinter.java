package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeDescriptor;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** Prints a job result as a table of tasks: placement, attempts, timings, output. */
final class ResultPrinter {

    private ResultPrinter() {
    }

    static void print(PrintStream out, JobSpec spec, JobResult r) {
        if (r.outcome() == JobResult.Outcome.REJECTED) {
            out.println("Job '" + r.jobId() + "' REJECTED: " + r.reason());
            return;
        }
        out.printf("%-14s %-6s %-10s %8s %9s %8s  %s%n", "task", "kernel", "node", "attempts", "wait ms", "run ms", "output");
        for (TaskSpec t : spec.tasks()) {
            TaskSummary s = r.tasks().get(t.id());
            JsonNode output = r.outputs().get(t.id());
            String shown = output != null ? abbreviate(output) : s.state() + (s.error() == null ? "" : ": " + s.error());
            out.printf("%-14s %-6s %-10s %8d %9d %8d  %s%s%n", t.id(), t.kernel(), s.node() == null ? "-" : s.node(),
                    s.attempts(), s.queueWaitMs(), s.runMs(), shown,
                    s.reruns() == 0 ? "" : " (ran " + (s.reruns() + 1) + " times: its output was lost)");
        }
        out.println("Job '" + r.jobId() + "' " + r.outcome() + " in " + r.elapsedMs() + " ms"
                + (r.reason() == null ? "" : ": " + r.reason()));
    }

    static int exitCode(JobResult r) {
        return switch (r.outcome()) {
            case SUCCEEDED -> ColonyCli.OK;
            case FAILED -> ColonyCli.JOB_FAILED;
            case REJECTED -> ColonyCli.BAD_INPUT;
        };
    }

    static String nodes(List<NodeDescriptor> nodes) {
        return nodes.stream().map(n -> n.name() + " (" + n.capacity() + ", speed " + n.speedFactor() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String abbreviate(JsonNode node) {
        String s = node.has("data") ? "matrix " + node.path("rows") + "x" + node.path("cols") + " " + node.path("dtype").asText()
                : node.toString();
        return s.length() <= 90 ? s : s.substring(0, 87) + "...";
    }
}
