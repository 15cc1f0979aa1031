// lib.js - what the browser tests share: checks that print as they pass,
// Chromium started (exit 77 if it cannot), every request outside the
// consoles recorded, a login, and screenshots checked not blank.
// Required by a test as require('./lib.js') (it lives beside them).
'use strict';
const { chromium } = require('playwright-core');
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
//  page with no network draws the PNG into a canvas and counts its
//  distinct colours.
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
    }, png.toString('base64'));
    await probe.close();
    check(colours >= 3, `screenshot ${name}.png is not blank (${colours}+ colours)`);
}

async function login (check, page, url, user, password) {
    await page.goto(url + '/login');
    await page.fill('input[name=name]', user);
    await page.fill('input[name=password]', password);
    await page.click('form.login button[type=submit]');
    check(page.url() === new URL(url).origin + '/', `${user} is logged in at ${url}`);
}

module.exports = { checker, launch, shot, login };
