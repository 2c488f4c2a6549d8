package dev.colony.actors.task;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeReply;

/**
 * What a task entity says to its {@link Job} and to its shard: that an attempt runs, how the task
 * ended (again, when asked after the job recovered), that it needs its work sent again (once per
 * incarnation), that inputs it was given were lost, and that it is done (passivation).
 */
final class JobLink {

    private final TaskDeps deps;
    private final String jobId;
    private final String taskId;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final ActorRef<Task.Command> self;
    private final LostInputs lost = new LostInputs();
    private boolean redeliveryAsked;

    /** The link of task entity {@code key} ({@code jobId/taskId}). */
    JobLink(String key, TaskDeps deps, ActorRef<ClusterSharding.ShardCommand> shard, ActorRef<Task.Command> self) {
        int slash = key.lastIndexOf('/');
        this.jobId = key.substring(0, Math.max(slash, 0));
        this.taskId = key.substring(slash + 1);
        this.deps = deps;
        this.shard = shard;
        this.self = self;
    }

    String jobId() {
        return jobId;
    }

    /**
     * Attempt {@code failed} of {@code work} (run {@code reruns}) could not read inputs their
     * producers lost: tells the job, which makes them again and then sends new work, and lets the
     * entity go meanwhile.
     */
    void inputsLost(int reruns, Work work, NodeReply.AttemptFailed failed) {
        job().tell(lost.report(taskId, reruns, work, failed));
        passivate();
    }

    /** Whether {@code m} still carries an input this incarnation found lost (sent before the job knew). */
    boolean lostIn(Task.Execute m) {
        return lost.stale(m);
    }

    /** An attempt started. */
    void running(TaskSummary summary) {
        job().tell(new Job.TaskRunning(taskId, summary));
    }

    /** Reports how a finished task ended; nothing for one that has not. */
    void reportOutcome(TaskState state, TaskSummary summary) {
        switch (state.phase()) {
            case SUCCEEDED -> job().tell(new Job.TaskSucceeded(taskId, state.lastAttempt(), state.output(), summary));
            case FAILED -> job().tell(new Job.TaskFailed(taskId, state.lastError(), summary));
            default -> {
                // not finished
            }
        }
    }

    /**
     * The task recovered in {@code state}; it had work before if {@code hadWork} (it restarted after
     * the journal failed a write). Restarted mid-way, it asks the job what to run.
     */
    void recovered(TaskState state, boolean hadWork) {
        if (!state.phase().terminal() && (hadWork || state.phase() != TaskState.Phase.IDLE)) {
            askRedelivery();
        }
    }

    /** Sharding moves the task away; a {@code busy} one asks its job to start it again where it lands. */
    void handingOff(boolean busy) {
        if (busy) {
            askRedelivery();
        }
    }

    /** Asks the job to send the task's work again, once per incarnation. */
    void askRedelivery() {
        if (!redeliveryAsked) {
            redeliveryAsked = true;
            job().tell(new Job.Redeliver(taskId));
        }
    }

    /**
     * A node's reply reached an incarnation that never got its Execute (it restarted
     * mid-negotiation): lets the node free an offer, and asks the job to release the task again
     * (the Execute, if the task is still wanted, starts the entity again).
     */
    void stray(NodeReply reply) {
        if (reply instanceof NodeReply.Offer o) {
            o.node().tell(new Node.DeclineOffer(o.offerId()));
        }
        askRedelivery();
    }

    /** Back to a first start's state: a later redelivery may be asked again. */
    void reset() {
        redeliveryAsked = false;
    }

    /** Asks the shard to stop this entity, buffering what races with that. */
    void passivate() {
        shard.tell(new ClusterSharding.Passivate<>(self));
    }

    private akka.actor.typed.RecipientRef<Job.Command> job() {
        return deps.jobs().apply(jobId);
    }
}
