package dev.colony.actors.job;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.pcollections.PMap;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;

/**
 * A persistent map on Scala's immutable {@code HashMap} (a CHAMP trie, on the class path with
 * Akka), behind pcollections' {@link PMap}: a job's state changes a few entries of maps of every
 * task per event, and pcollections' own hash map (a balanced tree of hash buckets) took 10 % of a
 * node's CPU in JMH DurableDispatch, its lookups ~10 levels deep for 1,000 tasks where the trie
 * takes two. Immutable: the mutators of {@link Map} throw, as {@link AbstractMap}'s do.
 */
final class ChampMap<K, V> extends AbstractMap<K, V> implements PMap<K, V> {

    private static final ChampMap<Object, Object> EMPTY = new ChampMap<>(HashMap$.MODULE$.empty());

    private final HashMap<K, V> map;

    private ChampMap(HashMap<K, V> map) {
        this.map = map;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    static <K, V> ChampMap<K, V> empty() {
        return (ChampMap<K, V>) EMPTY;
    }

    /** A map of the entries of {@code m} (null: empty). */
    static <K, V> ChampMap<K, V> from(Map<? extends K, ? extends V> m) {
        return m == null ? empty() : ChampMap.<K, V>empty().plusAll(m);
    }

    @Override
    public V get(Object key) {
        @SuppressWarnings("unchecked")
        Option<V> v = map.get((K) key);
        return v.isEmpty() ? null : v.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean containsKey(Object key) {
        return map.contains((K) key);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                scala.collection.Iterator<Tuple2<K, V>> it = map.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        Tuple2<K, V> t = it.next();
                        return new SimpleImmutableEntry<>(t._1(), t._2());
                    }
                };
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }

    @Override
    public ChampMap<K, V> plus(K key, V value) {
        return new ChampMap<>(map.updated(key, value));
    }

    @Override
    public ChampMap<K, V> plusAll(Map<? extends K, ? extends V> m) {
        HashMap<K, V> next = map;
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            next = next.updated(e.getKey(), e.getValue());
        }
        return new ChampMap<>(next);
    }

    @Override
    public ChampMap<K, V> minus(Object key) {
        @SuppressWarnings("unchecked")
        HashMap<K, V> next = map.removed((K) key);
        return new ChampMap<>(next);
    }

    @Override
    public ChampMap<K, V> minusAll(Collection<?> keys) {
        HashMap<K, V> next = map;
        for (Object k : keys) {
            @SuppressWarnings("unchecked")
            K key = (K) k;
            next = next.removed(key);
        }
        return new ChampMap<>(next);
    }
}
