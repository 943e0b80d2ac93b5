// Puppeteer as a CDP client of a Tabrunner session (ConnectIT): connects to the cdpUrl given as the first argument,
// reads the session's page and cookie, navigates to the URL given as the second, and disconnects. Prints one JSON line.
const puppeteer = require('puppeteer-core');

(async () => {
    const [cdpUrl, next] = process.argv.slice(2);
    const browser = await puppeteer.connect({browserWSEndpoint: cdpUrl, defaultViewport: null});
    const pages = await browser.pages();
    const page = pages[0];
    const before = page.url();
    const cookie = await page.evaluate(() => document.cookie);
    let refused = null;
    try {
        await browser.createBrowserContext();
    } catch (e) {
        refused = e.message;
    }
    await page.goto(next);
    const after = page.url();
    await browser.disconnect();
    console.log(JSON.stringify({pages: pages.length, before, cookie, refused, after}));
})().catch(e => {
    console.error(e && e.stack || String(e));
    process.exit(1);
});
