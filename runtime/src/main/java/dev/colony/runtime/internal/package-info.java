/** Runtime internals: wiring of actors, sharding and the cluster. Not API. */
package dev.colony.runtime.internal;
