package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Every action type, through the HTTP API, against fixture pages, in real Chromium. */
class RunTaskIT {
    private final TestSystem sys = TestSystem.get();
    private final Api api = sys.newTenant("user");

    private static boolean isPng(String base64) {
        byte[] b = Base64.getDecoder().decode(base64);
        return b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    @Test
    void formActions_type_select_press_hover_click_evaluate() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"waitUntil\":\"domcontentloaded\","
                + "\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Ada\"},"
                + "{\"type\":\"type\",\"selector\":\"#email\",\"text\":\"ada@example.com\"},"
                + "{\"type\":\"select\",\"selector\":\"#color\",\"text\":\"Green\"},"
                + "{\"type\":\"press\",\"selector\":\"#name\",\"key\":\"Enter\"},"
                + "{\"type\":\"hover\",\"selector\":\"#hover-target\"},"
                + "{\"type\":\"click\",\"selector\":\"#submit\"},"
                + "{\"type\":\"evaluate\",\"script\":\"({result: document.querySelector('#result').textContent,"
                + " color: document.querySelector('#color').value, key: document.querySelector('#key-state')"
                + ".textContent, hover: document.querySelector('#hover-state').textContent})\"}"
                + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.get("url").asText()).isEqualTo(sys.url("/form.html"));
        assertThat(body.get("results")).hasSize(7);
        assertThat(body.at("/results/2/selected/0").asText()).isEqualTo("g");
        JsonNode value = body.at("/results/6/value");
        assertThat(value.get("result").asText()).isEqualTo("Submitted: Ada");
        assertThat(value.get("color").asText()).isEqualTo("g");
        assertThat(value.get("key").asText()).isEqualTo("enter pressed");
        assertThat(value.get("hover").asText()).isEqualTo("hovered");
        assertThat(body.get("status").asText()).isEqualTo("task_completed");
    }

    @Test
    void clickByCoordinates_andPressWithoutSelector() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"evaluate\",\"script\":\"(() => { const b = document.querySelector('#name')"
                + ".getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; })()\"}]}");
        JsonNode xy = r.json().at("/results/0/value");
        var click = api.runTask(session, "{\"actions\":[{\"type\":\"click\",\"coordinates\":{\"x\":" + xy.get(0).asDouble()
                + ",\"y\":" + xy.get(1).asDouble() + "}},{\"type\":\"press\",\"key\":\"KeyQ\"},"
                + "{\"type\":\"evaluate\",\"script\":\"document.activeElement.id + ':' + document.querySelector('#name')"
                + ".value\"}]}");
        assertThat(click.status()).as(click.body()).isEqualTo(201);
        assertThat(click.json().at("/results/2/value").asText()).isEqualTo("name:q");
    }

    @Test
    void navigate_scroll_wait_screenshot_pdf_content() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"actions\":["
                + "{\"type\":\"navigate\",\"url\":\"" + sys.url("/long.html") + "\",\"waitUntil\":\"load\"},"
                + "{\"type\":\"scroll\",\"selector\":\"#bottom\"},"
                + "{\"type\":\"scroll\",\"coordinates\":{\"x\":0,\"y\":100}},"
                + "{\"type\":\"scroll\",\"text\":\"The very bottom\"},"
                + "{\"type\":\"screenshot\"},"
                + "{\"type\":\"screenshot\",\"selector\":\"#middle\"},"
                + "{\"type\":\"navigate\",\"url\":\"" + sys.url("/delayed.html") + "\"},"
                + "{\"type\":\"wait\",\"selector\":\"#late\",\"timeoutMs\":5000},"
                + "{\"type\":\"wait\",\"text\":\"I arrived late\"}"
                + "],\"screenshot\":{\"fullPage\":true},\"pdf\":{\"format\":\"A4\",\"landscape\":true,"
                + "\"printBackground\":true,\"margin\":{\"top\":\"1cm\"}},\"content\":true}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.at("/results/0/status").asInt()).isEqualTo(200);
        assertThat(body.at("/results/1/scrollY").asDouble()).isGreaterThan(1000);
        assertThat(body.at("/results/2/scrollY").asDouble()).isEqualTo(100);
        assertThat(body.at("/results/3/scrollY").asDouble()).isGreaterThan(1000);
        assertThat(isPng(body.at("/results/4/screenshot").asText())).isTrue();
        assertThat(isPng(body.at("/results/5/screenshot").asText())).isTrue();
        assertThat(isPng(body.get("screenshot").asText())).isTrue();
        assertThat(new String(Base64.getDecoder().decode(body.get("pdf").asText()), 0, 5)).isEqualTo("%PDF-");
        assertThat(body.at("/content/html").asText()).contains("I arrived late");
        assertThat(body.at("/content/url").asText()).isEqualTo(sys.url("/delayed.html"));
        assertThat(body.get("url").asText()).isEqualTo(sys.url("/delayed.html"));

        // artifacts are kept and downloadable
        String taskId = body.get("taskId").asText();
        var stored = api.get("/browser/sessions/" + session + "/tasks/" + taskId).json();
        assertThat(stored.get("status").asText()).isEqualTo("task_completed");
        assertThat(stored.get("artifacts")).hasSize(5);
        String pdfUrl = null;
        for (JsonNode a : stored.get("artifacts")) {
            if (a.get("kind").asText().equals("pdf")) {
                pdfUrl = a.get("downloadUrl").asText();
            }
        }
        var pdf = api.get(pdfUrl);
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(new String(pdf.bytes(), 0, 5)).isEqualTo("%PDF-");
    }

    @Test
    void pdfEndpoint_rendersTheCurrentPage() {
        String session = sys.newSession(api);
        api.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\"}");
        var r = api.post("/browser/sessions/" + session + "/pdf", "{\"format\":\"Letter\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(new String(Base64.getDecoder().decode(r.json().get("pdf").asText()), 0, 5)).isEqualTo("%PDF-");
        assertThat(r.json().get("url").asText()).isEqualTo(sys.url("/index.html"));
        assertThat(api.post("/browser/sessions/" + session + "/pdf", "{\"format\":\"Napkin\"}").status()).isEqualTo(400);
    }

    @Test
    void uploadFile_setsAFileUploadedToTheSession() {
        String session = sys.newSession(api);
        var up = api.uploadMultipart(session, "notes.txt", "text/plain", "hello".getBytes());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        var raw = api.postBytes("/browser/sessions/" + session + "/files?filename=raw.bin", "application/octet-stream",
                new byte[]{1, 2, 3});
        assertThat(raw.status()).as(raw.body()).isEqualTo(201);
        var list = api.get("/browser/sessions/" + session + "/files").json().get("files");
        assertThat(list.findValuesAsText("filename")).containsExactlyInAnyOrder("notes.txt", "raw.bin");

        var r = api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"uploadFile\",\"selector\":\"#upload\",\"filename\":\"notes.txt\"},"
                + "{\"type\":\"wait\",\"text\":\"notes.txt\"},"
                + "{\"type\":\"evaluate\",\"script\":\"document.querySelector('#upload').files[0].text()\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/results/2/value").asText()).isEqualTo("hello");

        var missing = api.runTask(session, "{\"actions\":[{\"type\":\"uploadFile\",\"selector\":\"#upload\","
                + "\"filename\":\"never-uploaded.txt\"}]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("file_not_found");
    }

    /** Seed 001: {@code files} are "File IDs"; an upload answers and lists its id, and uploadFile takes it too. */
    @Test
    void uploadFile_namesAFileByItsId() {
        String session = sys.newSession(api);
        var up = api.postBytes("/browser/sessions/" + session + "/files?filename=notes.txt", "text/plain",
                "hello".getBytes());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        String id = up.json().get("id").asText();
        assertThat(api.get("/browser/sessions/" + session + "/files").json().at("/files/0/id").asText())
                .isEqualTo(id);

        var r = api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"uploadFile\",\"selector\":\"#upload\",\"filename\":\"" + id + "\"},"
                + "{\"type\":\"evaluate\",\"script\":\"document.querySelector('#upload').files[0].name\"}]}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/results/1/value").asText()).isEqualTo("notes.txt");
        assertThat(r.json().at("/results/0/filename").asText()).isEqualTo("notes.txt");
    }

    /**
     * Seed 000: "When present, a screenshot is taken" / "renders a PDF": {@code true} is present with the defaults;
     * integers may be written {@code 5000.0}.
     */
    @Test
    void screenshotAndPdf_true_areTheDefaults_andWholeNumbersMayBeFloats() {
        String session = sys.newSession(api);

        var r = api.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\",\"screenshot\":true,"
                + "\"pdf\":true,\"actions\":[{\"type\":\"wait\",\"selector\":\"body\",\"timeoutMs\":5000.0}]}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(isPng(r.json().get("screenshot").asText())).isTrue();
        assertThat(new String(Base64.getDecoder().decode(r.json().get("pdf").asText()), 0, 5)).isEqualTo("%PDF-");
        var none = api.runTask(session, "{\"screenshot\":false,\"pdf\":false}");
        assertThat(none.status()).as(none.body()).isEqualTo(201);
        assertThat(none.json().has("screenshot")).isFalse();
        assertThat(none.json().has("pdf")).isFalse();
    }

    @Test
    void upload_overTheLimit_is413() {
        String session = sys.newSession(api);
        byte[] big = new byte[1_048_577];
        var r = api.uploadMultipart(session, "big.bin", "application/octet-stream", big);
        assertThat(r.status()).isEqualTo(413);
        var raw = api.postBytes("/browser/sessions/" + session + "/files?filename=big.bin", "application/octet-stream",
                big);
        assertThat(raw.status()).isEqualTo(413);
        assertThat(raw.json().at("/error/status").asInt()).isEqualTo(413);
    }

    @Test
    void tasksOfASession_areListedNewestFirst() {
        String session = sys.newSession(api);
        String first = api.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\"}").json().get("taskId").asText();
        String second = api.runTask(session, "{}").json().get("taskId").asText();
        var list = api.get("/browser/sessions/" + session + "/tasks").json().get("tasks");
        assertThat(list.findValuesAsText("taskId")).containsExactly(second, first);
    }
}
