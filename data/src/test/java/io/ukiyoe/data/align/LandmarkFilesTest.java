package io.ukiyoe.data.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ukiyoe.core.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A landmark file of an unexpected shape is a one-line error naming the face and point, not a crash. */
class LandmarkFilesTest {
    private static UserError error(String json) {
        return assertThrows(UserError.class, () -> LandmarkFiles.points(Path.of("marks.json"),
                JsonMapper.builder().build().readTree(json), LandmarkFiles.Format.FIVE_POINT));
    }

    @Test
    void malformedPointsAreNamed() {
        String good = "[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]";
        assertEquals("marks.json: face 2, point 3 is not [x, y] (got [5])",
                error("[[" + good + "], [[1, 2], [3, 4], [5], [7, 8], [9, 10]]]").getMessage());
        assertEquals("marks.json: face 1, point 1 is not [x, y] (got [\"eye\",[3,4],[5,6],[7,8],[9,10]])",
                error("[[\"eye\", [3, 4], [5, 6], [7, 8], [9, 10]]]").getMessage());
        assertEquals("marks.json: face 1, point 2 is not [x, y] (got {\"x\":3,\"y\":4})",
                error("[{\"points\": [[1, 2], {\"x\": 3, \"y\": 4}, [5, 6], [7, 8], [9, 10]]}]").getMessage());
        assertEquals(1, LandmarkFiles.points(Path.of("m.json"), JsonMapper.builder().build().readTree("[" + good + "]"),
                LandmarkFiles.Format.FIVE_POINT).size());
    }
}
