/**
 * Nodes: the {@link dev.colony.actors.node.Node} actor that offers its capacity, grants leases and
 * runs kernels; the replies it sends ({@link dev.colony.actors.node.NodeReply}); and the
 * {@link dev.colony.actors.node.NodeDirectory} that keeps every scheduler's view of the nodes.
 */
package dev.colony.actors.node;
