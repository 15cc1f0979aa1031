// lib.js - what the browser tests share: checks that print as they pass
// (check, or checker(prefix) for messages with a prefix), Chromium started
// (exit 77 if it cannot) with every request outside the consoles recorded
// (launch; start also opens a page and keeps each answer's weight), a
// login, and screenshots checked not blank.
// Required by a test as require('./lib.js') (it lives beside them).
'use strict';
const path = require('path');

//  check(condition, message): throws with the message, or prints "ok - "
function checker (prefix) {
    return function check (condition, message) {
        if (!condition)
            throw new Error(prefix + message);
        console.log('ok - ' + prefix + message);
    };
}

//  Chromium (Debian's), a context in Chinese, and the list of requests
//  that went anywhere but the given origins (it must stay empty)
async function launch (origins, viewport) {
    const { chromium } = require('playwright-core');
    let browser;
    try {
        browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
                                          args: ['--no-sandbox', '--disable-gpu'] });
    }
    catch (error) {
        console.log('SKIPPED: chromium (/usr/bin/chromium) cannot start: ' + error.message.split('\n')[0]);
        process.exit(77);
    }
    const context = await browser.newContext({ locale: 'zh-CN', viewport: viewport || { width: 1200, height: 900 } });
    const outside = [];
    context.on('request', (request) => {
        const address = request.url();
        if (!origins.some((o) => address.startsWith(o + '/')) && !address.startsWith('data:') && address !== 'about:blank')
            outside.push(address);
    });
    return { browser, context, outside };
}

//  A screenshot of the page in dir/name.png, checked not blank: a fresh
//  page of `context` (a Playwright context or a Puppeteer browser), with
//  no network, draws the PNG into a canvas and counts its distinct colours.
async function shot (check, context, page, dir, name) {
    const png = await page.screenshot({ path: path.join(dir, name + '.png'), fullPage: true });
    const probe = await context.newPage();
    const colours = await probe.evaluate(async (data) => {
        const img = new Image();
        img.src = 'data:image/png;base64,' + data;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const g = canvas.getContext('2d');
        g.drawImage(img, 0, 0);
        const pixels = g.getImageData(0, 0, img.width, img.height).data;
        const seen = new Set();
        for (let i = 0; i < pixels.length && seen.size < 50; i += 4 * 7)
            seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        return seen.size;
    }, Buffer.from(png).toString('base64'));
    await probe.close();
    check(colours >= 3, `screenshot ${name}.png is not blank (${colours}+ colours)`);
}

//  Debian's Chromium with a page already open: launch's { browser,
//  context, outside } and the page (whose dialogs count as outside), and
//  weights: each answer's bytes by path (record ids, 13 digits or more, as ID)
async function start (origins, viewport) {
    const { browser, context, outside } = await launch(origins, viewport);
    const weights = {};
    context.on('response', async (response) => {
        try {
            const body = await response.body();
            weights[new URL(response.url()).pathname.replace(/\/\d{13,}/g, '/ID')] = body.length;
        }
        catch (error) { /* redirects have no body */ }
    });
    const page = await context.newPage();
    page.on('dialog', (dialog) => { outside.push('dialog: ' + dialog.message()); dialog.dismiss(); });
    return { browser, context, page, outside, weights };
}

async function login (check, page, url, user, password) {
    await page.goto(url + '/login');
    await page.fill('input[name=name]', user);
    await page.fill('input[name=password]', password);
    await page.click('form.login button[type=submit]');
    check(page.url() === new URL(url).origin + '/', `${user} is logged in at ${url}`);
}

module.exports = { checker, check: checker(''), launch, start, shot, login };
