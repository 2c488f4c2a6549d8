package dev.colony.actors.data;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The data plane's two messages, little-endian (Agrona's default), on one stream per process so
 * that a single UDP endpoint (or IPC stream) receives both.
 *
 * <pre>
 * request (consumer → producer):
 *   long REQUEST | long requestId | int replyPort | int replyStream | byte ipc | short hostLength | host
 *   | short keyLength | key | short capabilityLength | capability
 * chunk (producer → consumer):
 *   long requestId (&gt;= 0) | long offset | long total | payload   (offset = -1: payload is an error message)
 * </pre>
 */
final class Wire {

    /** The stream of a data plane's UDP channel. */
    static final int STREAM = 0x0C01;
    /** First long of a request; chunks start with their request id, which is never negative. */
    static final long REQUEST = Long.MIN_VALUE;
    /** Bytes before a chunk's payload. */
    static final int CHUNK_HEADER = 24;
    /** Offset of a chunk that carries an error. */
    static final long ERROR = -1;

    private Wire() {
    }

    record Request(long requestId, String host, int replyPort, int replyStream, boolean ipc, String key,
                   String capability) {

        int encode(MutableDirectBuffer b) {
            int at = 8;
            b.putLong(0, REQUEST);
            b.putLong(at, requestId);
            b.putInt(at += 8, replyPort);
            b.putInt(at += 4, replyStream);
            b.putByte(at += 4, (byte) (ipc ? 1 : 0));
            at += 1;
            at = putString(b, at, host);
            at = putString(b, at, key);
            return putString(b, at, capability == null ? "" : capability);
        }

        static boolean is(DirectBuffer b, int offset) {
            return b.getLong(offset) == REQUEST;
        }

        /** The request in {@code length} bytes at {@code offset}, or null when they do not hold one whole. */
        static Request decode(DirectBuffer b, int offset, int length) {
            if (length < 25 + 6) {
                return null;
            }
            long id = b.getLong(offset + 8);
            int port = b.getInt(offset + 16);
            int stream = b.getInt(offset + 20);
            boolean ipc = b.getByte(offset + 24) == 1;
            int end = offset + length;
            int at = offset + 25;
            String host = getString(b, at, end);
            at = host == null ? end : at + 2 + b.getShort(at);
            String key = getString(b, at, end);
            at = key == null ? end : at + 2 + b.getShort(at);
            String capability = getString(b, at, end);
            return capability == null ? null : new Request(id, host, port, stream, ipc, key, capability);
        }
    }

    private static int putString(MutableDirectBuffer b, int at, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("data plane string too long: " + bytes.length + " bytes");
        }
        b.putShort(at, (short) bytes.length);
        b.putBytes(at + 2, bytes);
        return at + 2 + bytes.length;
    }

    /** The string at {@code at}, or null when its length is negative or runs past {@code end}. */
    private static String getString(DirectBuffer b, int at, int end) {
        if (at + 2 > end) {
            return null;
        }
        int length = b.getShort(at);
        if (length < 0 || at + 2 + length > end) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.getBytes(at + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
