package dev.colony.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BriefTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldShowShortValuesWhole() throws Exception {
        assertEquals("{\"a\":[1,2.5,\"x\"],\"b\":null}", Brief.json(JSON.readTree("{\"a\": [1, 2.5, \"x\"], \"b\": null}")));
        assertEquals("[]", Brief.json(JSON.readTree("[]")));
        assertEquals("abc", Brief.text("abc"));
        assertEquals("null", Brief.text(null));
    }

    @Test
    void shouldCutLongValuesAndSayHowLong() throws Exception {
        String cut = Brief.text("x".repeat(10_000));
        assertTrue(cut.length() < Brief.MAX_CHARS + 30 && cut.endsWith("(10000 characters)"), cut);
        String many = Brief.json(JSON.readTree("[" + "1,".repeat(100_000) + "1]"));
        assertTrue(many.length() <= Brief.MAX_CHARS + 1 && many.endsWith("…"), many);
        String bigNumber = Brief.json(JSON.readTree("9".repeat(500)));
        assertTrue(bigNumber.contains("(500 digits)"), bigNumber);
    }

    @Test
    void shouldRenderAValueNestedFarDeeperThanTheStackWithoutRecursing() {
        JsonNode deep = JSON.createArrayNode();
        for (int i = 0; i < 1_000_000; i++) {
            deep = JSON.createArrayNode().add(deep);
        }
        String shown = Brief.json(deep);
        assertTrue(shown.startsWith("[[[[") && shown.endsWith("…") && shown.length() <= Brief.MAX_CHARS + 1, shown);
    }
}
