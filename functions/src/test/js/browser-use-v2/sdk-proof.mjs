// The official browser-use SDK (browser-use-sdk, pinned in package.json) against a Tabrunner server.
// Run by BrowserUseV2SdkIT, which starts the server, a scripted model and a fixture site, and passes:
//   TABRUNNER_URL  the server's base URL       SITE      the fixture site's base URL
//   KEY            a key of a fresh tenant     KEY_FULL  a key of a tenant used to reach the session limit
//   MAX_SESSIONS   the server's active-session limit per tenant
//   KEY_BROWSER    a key of a tenant for the browsers step   CDP_CLIENT  where puppeteer-core is installed
// The script model answers by the marker in each task's text ([[structured]], [[remember]], ...).
// Every step must pass; the last line says how many did.
import { BrowserUse, BrowserUseError } from "browser-use-sdk";
import { z } from "zod";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const { TABRUNNER_URL, SITE, KEY, KEY_FULL, KEY_BROWSER, MAX_SESSIONS, CDP_CLIENT } = process.env;
// puppeteer-core as ConnectIT installs it (target/cdp-client): the SDK project's lock file stays the SDK's own
const puppeteer = createRequire(`${CDP_CLIENT}/package.json`)("puppeteer-core");
const baseUrl = `${TABRUNNER_URL}/api/v2`;
const client = new BrowserUse({ apiKey: KEY, baseUrl });
const fast = { timeout: 60_000, interval: 250 };
let passed = 0;
let failed = 0;

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e?.stack ?? e}`);
    if (e instanceof BrowserUseError) {
      console.log(`  status ${e.statusCode}, body ${JSON.stringify(e.detail)}`);
    }
  }
}

/** The SDK's error for a call that must fail, checked for its status. */
async function rejects(promise, statusCode) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof BrowserUseError, `not a BrowserUseError: ${e}`);
    assert.equal(e.statusCode, statusCode, `status ${e.statusCode}: ${e.message}`);
    assert.ok(e.message && !e.message.startsWith("HTTP "), `the SDK found no detail/message: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${statusCode}, the call succeeded`);
}

async function untilStatus(taskId, wanted) {
  for (let i = 0; i < 200; i++) {
    const s = await client.tasks.status(taskId);
    if (wanted.includes(s.status)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`task ${taskId} never became ${wanted}`);
}

let structuredTaskId;
await step("client.run with a zod schema: structured output parsed by the SDK, screen size honoured", async () => {
  const Size = z.object({ size: z.string() });
  const result = await client.run("[[structured]] Read the viewport size", {
    schema: Size,
    sessionSettings: { browserScreenWidth: 1024, browserScreenHeight: 700 },
    metadata: { suite: "sdk-proof" },
    ...fast,
  });
  assert.deepEqual(result.output, { size: "1024x700" });
  assert.equal(result.status, "finished");
  assert.equal(result.isSuccess, true);
  assert.equal(result.steps.length, 2);
  assert.equal(result.steps[0].number, 1);
  assert.ok(result.steps[1].url.endsWith("/viewport.html"), result.steps[1].url);
  assert.ok(Array.isArray(result.steps[0].actions) && result.steps[0].actions[0].includes("navigate"));
  assert.deepEqual(result.metadata, { suite: "sdk-proof" });
  assert.ok(result.llm, "llm is named");
  structuredTaskId = result.id;
  const status = await client.tasks.status(result.id);
  assert.equal(status.status, "finished");
  assert.ok(status.finishedAt);
});

await step("tasks.create + tasks.wait, and for-await over run() steps", async () => {
  const created = await client.tasks.create({ task: "[[plain]] Say ok" });
  assert.ok(created.id && created.sessionId);
  const done = await client.tasks.wait(created.id, fast);
  assert.equal(done.output, "ok");
  const seen = [];
  for await (const s of client.run("[[plain]] Say ok again", fast)) seen.push(s.number);
  assert.deepEqual(seen, [1]);
});

await step("a task that fails ends run() as browser-use's service ends it: finished, isSuccess false", async () => {
  const result = await client.run("[[fail]] The model is down", fast);
  assert.equal(result.status, "finished");
  assert.equal(result.isSuccess, false);
  assert.ok(result.output, "the output says why");
});

await step("profiles: create, get, list, update; reused across two tasks (cookies kept)", async () => {
  const profile = await client.profiles.create({ name: "shop", userId: "user-1" });
  assert.equal(profile.name, "shop");
  assert.equal(profile.userId, "user-1");
  assert.equal((await client.profiles.get(profile.id)).id, profile.id);
  const listed = await client.profiles.list({ query: "shop", pageSize: 10 });
  assert.ok(listed.items.some((p) => p.id === profile.id));
  const first = await client.run("[[remember]] Get remembered", {
    sessionSettings: { profileId: profile.id }, ...fast,
  });
  assert.equal(first.output, "remembered");
  const second = await client.run("[[recall]] Check the cookies", {
    sessionSettings: { profileId: profile.id }, ...fast,
  });
  assert.equal(second.output, "Cookies: remembered=ada-lovelace");
  const other = await client.run("[[recall]] Check the cookies without the profile", fast);
  assert.equal(other.output, "Cookies: (none)");
  const renamed = await client.profiles.update(profile.id, { name: "shop-2" });
  assert.equal(renamed.name, "shop-2");
  assert.equal(renamed.userId, "user-1");
  assert.equal(await client.profiles.delete(profile.id), undefined);
  await rejects(client.profiles.get(profile.id), 404);
});

let sessionId;
let stoppedTaskId;
await step("sessions: create, get; a file uploaded through the presigned URL reaches the session's task", async () => {
  const session = await client.sessions.create({ startUrl: `${SITE}/viewport.html`, persistMemory: false });
  sessionId = session.id;
  assert.equal(session.status, "active");
  assert.equal(session.keepAlive, true);
  const link = await client.files.sessionUrl(session.id, {
    fileName: "notes.txt", contentType: "text/plain", sizeBytes: 11,
  });
  assert.equal(link.method, "POST");
  assert.equal(link.fileName, "notes.txt");
  assert.ok(link.expiresIn > 0);
  // as with S3's presigned POST: a form with the fields, then the file; no API key
  const form = new FormData();
  for (const [k, v] of Object.entries(link.fields)) form.append(k, v);
  form.append("file", new Blob(["hello notes"], { type: "text/plain" }), "notes.txt");
  const upload = await fetch(link.url, { method: link.method, body: form });
  assert.equal(upload.status, 204, await upload.text());
  const again = await fetch(link.url, { method: link.method, body: form });
  assert.equal(again.status, 404, "a link is good for one upload");
  const result = await client.run("[[file]] Use the notes", { sessionId: session.id, ...fast });
  assert.equal(result.output, "has notes.txt");
  assert.equal(result.sessionId, session.id);
  assert.equal(result.steps[0].url, `${SITE}/viewport.html`, "the session's startUrl");
  const got = await client.sessions.get(session.id);
  assert.equal(got.tasks.length, 1);
  assert.equal(got.tasks[0].id, result.id);
});

await step("the public share of a session: create, read without a key, get, delete", async () => {
  const share = await client.sessions.createShare(sessionId);
  assert.ok(share.shareToken && share.shareUrl);
  const again = await client.sessions.createShare(sessionId);
  assert.equal(again.shareToken, share.shareToken);
  const page = await fetch(share.shareUrl);
  assert.equal(page.status, 200);
  const shown = await page.json();
  assert.equal(shown.id, sessionId);
  assert.equal(shown.tasks[0].output, "has notes.txt");
  assert.equal((await client.sessions.getShare(sessionId)).viewCount, 1);
  assert.equal((await client.sessions.get(sessionId)).publicShareUrl, share.shareUrl);
  assert.equal(await client.sessions.deleteShare(sessionId), undefined);
  await rejects(client.sessions.getShare(sessionId), 404);
  assert.equal((await fetch(share.shareUrl)).status, 404);
});

await step("stop of a running task, then of its session", async () => {
  const created = await client.tasks.create({ task: "[[slow]] Wait around", sessionId });
  await untilStatus(created.id, ["started"]);
  const stopped = await client.tasks.stop(created.id);
  assert.equal(stopped.status, "stopped");
  assert.equal((await client.tasks.status(created.id)).status, "stopped");
  stoppedTaskId = created.id;
  const session = await client.sessions.stop(sessionId);
  assert.equal(session.status, "stopped");
  assert.ok(session.finishedAt);
  const stoppedSessions = await client.sessions.list({ filterBy: "stopped" });
  assert.ok(stoppedSessions.items.some((s) => s.id === sessionId));
  await rejects(client.tasks.create({ task: "[[plain]] too late", sessionId }), 404);
});

await step("stopTaskAndSession, and a deleted session is gone", async () => {
  const session = await client.sessions.create({});
  const created = await client.tasks.create({ task: "[[slow]] Wait around", sessionId: session.id });
  await untilStatus(created.id, ["started"]);
  const stopped = await client.tasks.stopTaskAndSession(created.id);
  assert.equal(stopped.status, "stopped");
  assert.equal((await client.sessions.get(session.id)).status, "stopped");
  assert.equal(await client.sessions.delete(session.id), undefined);
  await rejects(client.sessions.get(session.id), 404);
});

await step("paging and filters of tasks.list and sessions.list", async () => {
  const page1 = await client.tasks.list({ pageSize: 2, pageNumber: 1 });
  const page2 = await client.tasks.list({ pageSize: 2, pageNumber: 2 });
  assert.equal(page1.items.length, 2);
  assert.equal(page2.items.length, 2);
  assert.equal(page1.pageSize, 2);
  assert.equal(page2.pageNumber, 2);
  assert.ok(page1.totalItems >= 9, `totalItems ${page1.totalItems}`);
  const ids = new Set([...page1.items, ...page2.items].map((t) => t.id));
  assert.equal(ids.size, 4, "pages do not overlap");
  const inSession = await client.tasks.list({ sessionId });
  assert.equal(inSession.totalItems, 2);
  const stopped = await client.tasks.list({ filterBy: "stopped", pageSize: 100 });
  assert.ok(stopped.items.every((t) => t.status === "stopped"));
  assert.ok(stopped.items.some((t) => t.id === stoppedTaskId));
  const future = await client.tasks.list({ after: new Date(Date.now() + 60_000).toISOString() });
  assert.equal(future.totalItems, 0);
  const before = await client.tasks.list({ before: new Date(Date.now() + 60_000).toISOString(), pageSize: 1 });
  assert.equal(before.totalItems, page1.totalItems);
  const sessions = await client.sessions.list({ pageSize: 1 });
  assert.equal(sessions.items.length, 1);
});

await step("task logs: a download URL that serves the log", async () => {
  const logs = await client.tasks.logs(structuredTaskId);
  const text = await (await fetch(logs.downloadUrl, { headers: { "X-Browser-Use-API-Key": KEY } })).text();
  assert.ok(text.includes("status: finished"), text);
});

await step("errors the SDK maps: 401, 404, 422", async () => {
  const stranger = new BrowserUse({ apiKey: "not-a-key", baseUrl, maxRetries: 0 });
  const unauthorized = await rejects(stranger.tasks.list(), 401);
  assert.ok(unauthorized.message.includes("API key"), unauthorized.message);
  const notFound = await rejects(client.tasks.get("00000000-0000-0000-0000-000000000000"), 404);
  assert.equal(notFound.message, "Task not found");
  await rejects(client.sessions.get("00000000-0000-0000-0000-000000000000"), 404);
  const invalid = await rejects(client.tasks.create({ task: "" }), 422);
  assert.ok(Array.isArray(invalid.detail.detail), "problems listed in detail");
  const refused = await rejects(client.tasks.create({ task: "x", flashMode: true, judge: true }), 422);
  assert.deepEqual(refused.detail.detail.map((d) => d.loc.join(".")), ["body.flashMode", "body.judge"]);
  assert.ok(refused.message.includes("not offered"), refused.message);
  await rejects(client.tasks.create({ task: "x", notAField: 1 }), 422);
  await rejects(client.tasks.update(structuredTaskId, { action: "pause" }), 422);
});

await step("429 with Retry-After past the tenant's session limit", async () => {
  const full = new BrowserUse({ apiKey: KEY_FULL, baseUrl, maxRetries: 0 });
  const made = [];
  for (let i = 0; i < Number(MAX_SESSIONS); i++) made.push(await full.sessions.create({}));
  const tooMany = await rejects(full.sessions.create({}), 429);
  assert.ok(tooMany.message.length > 0);
  const raw = await fetch(`${baseUrl}/sessions`, {
    method: "POST", headers: { "X-Browser-Use-API-Key": KEY_FULL, "Content-Type": "application/json" }, body: "{}",
  });
  assert.equal(raw.status, 429);
  assert.ok(Number(raw.headers.get("retry-after")) > 0, "Retry-After");
  for (const s of made) await full.sessions.stop(s.id);
  assert.equal((await full.sessions.create({})).status, "active");
});

await step("billing, skills, marketplace: 404 saying they are not offered", async () => {
  for (const call of [() => client.billing.account(), () => client.skills.list(), () => client.skills.get("x"),
    () => client.marketplace.list(), () => client.marketplace.get("x")]) {
    const e = await rejects(call(), 404);
    assert.ok(e.message.includes("not offer"), e.message);
  }
  await rejects(client.browsers.get("00000000-0000-0000-0000-000000000000"), 404);
});

/** Puppeteer (the ConnectIT client's install) connected to a cdpUrl, or the error that refused it. */
async function connect(cdpUrl) {
  const connecting = puppeteer.connect({ browserWSEndpoint: cdpUrl, defaultViewport: null, protocolTimeout: 20_000 });
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("connect timed out")), 30_000));
  return Promise.race([connecting, timeout]);
}

async function refused(cdpUrl) {
  let browser;
  try {
    browser = await connect(cdpUrl);
    // the gateway may accept the socket and close it once the link is checked: the first call then fails
    await browser.pages();
  } catch (e) {
    return e;
  }
  await browser.disconnect();
  assert.fail("the link opened the browser");
}

await step("browsers: create, drive over cdpUrl, reconnect with the same cdpUrl, watch on liveUrl, stop", async () => {
  const owner = new BrowserUse({ apiKey: KEY_BROWSER, baseUrl });
  const made = await owner.browsers.create({ timeout: 15, metadata: { purpose: "sdk-proof" } });
  assert.equal(made.status, "active");
  assert.match(made.cdpUrl, new RegExp(`^ws://.*/browser/sessions/${made.id}/cdp\\?token=[A-Za-z0-9_-]{43,}$`));
  assert.match(made.liveUrl, /^http:\/\/.*\/live\/sessions\//);
  assert.deepEqual(made.metadata, { purpose: "sdk-proof" });
  const got = await owner.browsers.get(made.id);
  assert.equal(got.cdpUrl, made.cdpUrl);
  assert.equal(got.liveUrl, made.liveUrl);
  assert.ok((await owner.browsers.list()).items.some((b) => b.id === made.id && b.cdpUrl === made.cdpUrl));
  // another tenant does not see it
  await rejects(client.browsers.get(made.id), 404);
  await rejects(client.browsers.stop(made.id), 404);

  // nothing drives it yet: the live link shows an idle page, not the view of a connection
  const idle = await fetch(made.liveUrl, { redirect: "manual" });
  assert.equal(idle.status, 200);

  let browser = await connect(made.cdpUrl);
  let page = (await browser.pages())[0];
  await page.goto(`${SITE}/index.html`);
  await page.evaluate(() => { document.cookie = "crumb=sdk-proof; path=/"; });
  const heading = await page.evaluate(() => document.querySelector("h1")?.textContent ?? document.title);
  assert.equal(heading, "Fixture index");
  // one client at a time: a second one on the same link is refused while the first is there
  await refused(made.cdpUrl);
  // a person watching follows the connection's live view
  const watching = await fetch(made.liveUrl, { redirect: "manual" });
  assert.equal(watching.status, 307);
  assert.match(watching.headers.get("location"), /^\/live\/[^/]+\?token=/);
  await browser.disconnect();

  // the same cdpUrl again: the browser is where the first client left it
  browser = await connect(made.cdpUrl);
  page = (await browser.pages())[0];
  assert.equal(page.url(), `${SITE}/index.html`);
  assert.ok((await page.evaluate(() => document.cookie)).includes("crumb=sdk-proof"));
  const gone = new Promise((resolve) => browser.once("disconnected", resolve));

  // stopping the browser sends the connected client away, and the link opens nothing any more
  const stopped = await owner.browsers.stop(made.id);
  assert.equal(stopped.status, "stopped");
  assert.equal(stopped.cdpUrl ?? null, null);
  assert.ok(stopped.finishedAt);
  await Promise.race([gone, new Promise((_, reject) => setTimeout(() => reject(new Error("still connected")),
    15_000))]);
  const e = await refused(made.cdpUrl);
  assert.ok(e.message.length > 0);
  assert.equal((await fetch(made.liveUrl, { redirect: "manual" })).status, 404);
  assert.equal((await owner.browsers.get(made.id)).status, "stopped");
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
