// lib.js - what the console's browser tests share: Chromium started with
// every request outside the node's origins and every dialog recorded and
// each answer's weight kept, a check that says what it checked, and a
// screenshot checked not blank. (oversight.test.js keeps its own check,
// whose messages carry its round.)
'use strict';
const path = require('path');

function check (condition, message) {
    if (!condition)
        throw new Error(message);
    console.log('ok - ' + message);
}

//  A screenshot of the page into dir/name.png, checked not blank: a fresh
//  page with no network draws the PNG into a canvas and counts its
//  distinct colours.
async function shot (context, page, dir, name) {
    const file = path.join(dir, name + '.png');
    const png = await page.screenshot({ path: file, fullPage: true });
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
    }, png.toString('base64'));
    await probe.close();
    check(colours >= 3, `screenshot ${name}.png is not blank (${colours}+ colours)`);
}

//  Debian's Chromium with a new page (zh-CN): { browser, context, page,
//  outside (requests that left origins, dialogs), weights (path with
//  record ids, 13 digits or more, as ID -> bytes) }. Exits 77 (skipped) if it cannot start.
async function start (origins, viewport) {
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
    const context = await browser.newContext({ locale: 'zh-CN', viewport });
    const outside = [], weights = {};
    context.on('request', (request) => {
        const address = request.url();
        if (!origins.some((o) => address.startsWith(o + '/')) && !address.startsWith('data:') && address !== 'about:blank')
            outside.push(address);
    });
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

module.exports = { check, shot, start };
