// lib.js - what the console's browser tests share: a check that says what
// it checked, and a screenshot checked not blank. (console.test.js and
// oversight.test.js still carry their own copies.)
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

module.exports = { check, shot };
