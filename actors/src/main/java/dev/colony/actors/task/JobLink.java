package dev.colony.actors.task;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import dev.colony.actors.Traffic;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeReply;

/**
 * What a task entity says to its {@link Job} and to its shard: its attempts (the task's own
 * requests go through {@link #tell}), how the task ended (again, when asked), that it needs its work
 * sent again (once per incarnation), that inputs it was given were lost, and that it is done
 * (passivation).
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
        this.jobId = Task.jobIdOf(key);
        this.taskId = key.substring(key.lastIndexOf('/') + 1);
        this.deps = deps;
        this.shard = shard;
        this.self = self;
    }

    String taskId() {
        return taskId;
    }

    /** Tells the job {@code m}. */
    void tell(Job.Command m) {
        Traffic.tell(job(), m);
    }

    /**
     * Attempt {@code failed} of {@code work} (run {@code reruns}) could not read inputs their
     * producers lost: tells the job, which makes them again and then sends new work, and lets the
     * entity go meanwhile.
     */
    void inputsLost(int reruns, Work work, NodeReply.AttemptFailed failed) {
        Traffic.tell(job(), lost.report(taskId, reruns, work, failed));
        passivate();
    }

    /** Whether {@code m} still carries an input this incarnation found lost (sent before the job knew). */
    boolean lostIn(Task.Execute m) {
        return lost.stale(m);
    }

    /**
     * Reports how a finished task ended, with the lease its node handed on ({@code lease}, null:
     * none); nothing for one that has not.
     */
    void reportOutcome(TaskState state, TaskSummary summary, HandedLease lease) {
        switch (state.phase()) {
            case SUCCEEDED -> Traffic.tell(job(), new Job.TaskSucceeded(taskId, state.lastAttempt(), state.output(),
                    summary, lease));
            case FAILED -> Traffic.tell(job(), new Job.TaskFailed(taskId, state.lastError(), summary));
            default -> {
                // not finished
            }
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
            Traffic.tell(job(), new Job.Redeliver(taskId));
        }
    }

    /**
     * A node's reply reached an incarnation that never got its Execute (it restarted
     * mid-negotiation): lets the node free an offer, and asks the job to release the task again
     * (the Execute, if the task is still wanted, starts the entity again).
     */
    void stray(NodeReply reply) {
        if (reply instanceof NodeReply.Offer o) {
            Traffic.tell(o.node(), new Node.DeclineOffer(o.offerId()));
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
