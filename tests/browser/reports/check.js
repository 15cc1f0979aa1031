// check.js - opens each `fugai report --html` page in headless Chromium
// (Debian's chromium, driven by playwright-core) and checks, for each:
//  - the page made no network request (every request is file: or data:;
//    chromium also runs with every host name mapped to NOTFOUND);
//  - charts are drawn: at least one inline <svg> of non-zero size, with
//    bars (rect) of non-zero width;
//  - a screenshot is not blank (distinct pixel colours counted by a small
//    PNG decoder below);
//  - printed, it fits A4: nothing wider than the A4 text column under
//    print media, and print-to-PDF gives pages whose MediaBox is A4
//    (595 x 842 pt, within 2 pt).
// Usage: node check.js OUTDIR FILE.html...   Exit 0 all pass, 1 a check
// failed, 77 chromium cannot start (the message says why).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require('playwright-core');

// Distinct colours of a PNG (8-bit RGB or RGBA, not interlaced: what
// Chromium writes)
function distinctColours (png) {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8, width = 0, height = 0, type = 0;
  const idat = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const name = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (name === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('PNG not 8-bit or interlaced');
      type = data[9];
    } else if (name === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const bpp = type === 6 ? 4 : type === 2 ? 3 : 0;
  if (!bpp) throw new Error('PNG colour type ' + type);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  let prev = Buffer.alloc(stride), line = Buffer.alloc(stride);
  const colours = new Set();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      let v = src[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[x] = v & 0xff;
    }
    for (let x = 0; x < stride; x += bpp)
      colours.add((line[x] << 16) | (line[x + 1] << 8) | line[x + 2]);
    [prev, line] = [line, prev];
  }
  return colours.size;
}

// The MediaBox of every page of a PDF, [width, height] in points
function mediaBoxes (pdf) {
  const text = pdf.toString('latin1');
  const boxes = [];
  const re = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/g;
  let m;
  while ((m = re.exec(text)))
    boxes.push([parseFloat(m[3]) - parseFloat(m[1]), parseFloat(m[4]) - parseFloat(m[2])]);
  return boxes;
}

async function main () {
  const [outdir, ...files] = process.argv.slice(2);
  if (!outdir || !files.length) {
    console.error('usage: node check.js OUTDIR FILE.html...');
    process.exit(2);
  }
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND'],
      timeout: 60000,
    });
  } catch (e) {
    console.log('browser.reports: chromium cannot start: ' + e.message.split('\n')[0]);
    process.exit(77);
  }
  let failures = 0;
  const fail = (file, what) => { failures++; console.log(`FAIL ${path.basename(file)}: ${what}`); };
  for (const file of files) {
    const before = failures;
    const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', r => { if (!/^(file|data|about):/.test(r.url())) requests.push(r.url()); });
    const url = 'file://' + path.resolve(file);
    await page.goto(url, { waitUntil: 'load' });
    // (the pages have no script: once loaded, only the fonts may still come)
    await page.evaluate(() => document.fonts.ready.then(() => true));
    // Network
    if (requests.length) fail(file, 'network requests: ' + requests.join(' '));
    // Charts
    const charts = await page.$$eval('svg', svgs => svgs.map(s => {
      const box = s.getBoundingClientRect();
      const bars = [...s.querySelectorAll('rect.bar')].filter(r => r.getBoundingClientRect().width > 0.5).length;
      return { width: box.width, height: box.height, bars };
    }));
    if (!charts.length) fail(file, 'no <svg> chart');
    for (const [i, c] of charts.entries())
      if (!(c.width > 0 && c.height > 0)) fail(file, `svg ${i} has size ${c.width}x${c.height}`);
    if (!charts.some(c => c.bars > 0)) fail(file, 'no chart has a bar of non-zero width');
    // Screenshot
    const shot = path.join(outdir, path.basename(file, '.html') + '.png');
    const png = await page.screenshot({ path: shot });
    const colours = distinctColours(png);
    if (colours < 16) fail(file, `screenshot looks blank (${colours} distinct colours)`);
    // Print: nothing wider than A4's text column (210 mm - 2 x 12 mm at 96 dpi)
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 1000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    if (overflow > 704) fail(file, `printed content is ${overflow}px wide, A4's text column is 703px`);
    const pdfPath = path.join(outdir, path.basename(file, '.html') + '.pdf');
    const pdf = await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    const boxes = mediaBoxes(pdf);
    if (!boxes.length) fail(file, 'no page in the PDF');
    for (const [w, h] of boxes)
      if (Math.abs(w - 595.28) > 2 || Math.abs(h - 841.89) > 2) fail(file, `PDF page ${w}x${h} pt is not A4`);
    if (failures === before) console.log(`ok ${path.basename(file)}: ${charts.length} charts (${charts.reduce((n, c) => n + c.bars, 0)} bars), ` +
                `${colours} colours, ${boxes.length} A4 pages, no request`);
    await context.close();
  }
  await browser.close();
  process.exit(failures ? 1 : 0);
}

main().catch(e => { console.log('browser.reports: ' + e.stack); process.exit(1); });
