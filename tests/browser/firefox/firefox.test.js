// firefox.test.js - the township clerk's console in headless Firefox
// (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi).
// Run by firefox.sh, which starts a township whose parent is down and
// passes, in the environment:
//   FUGAI_URL FUGAI_USER FUGAI_PASSWORD FUGAI_NAME FUGAI_TIBETAN FUGAI_SHOTS FUGAI_MARKER FUGAI_DIRECTIVE
// Exit 0 passed, 1 failed (the message says what), 77 Firefox cannot start.
'use strict';
const puppeteer = require('puppeteer-core');
const lib = require('../lib.js');
const check = lib.check;

const url = process.env.FUGAI_URL;
const origin = new URL(url).origin;
const shots = process.env.FUGAI_SHOTS;
const marker = process.env.FUGAI_MARKER;

async function text (page, selector) {
    return page.$eval(selector, (element) => element.textContent);
}

async function value (page, selector) {
    return page.$eval(selector, (element) => element.value);
}

//  Click and wait for the page it leads to; the response of that page
async function follow (page, selector) {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response;
}

//  A screenshot of the page, checked not blank (lib.js; a page of the
//  browser draws it)
const shot = (browser, page, name) => lib.shot(check, browser, page, shots, name);

async function main () {
    let browser;
    try {
        browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr',
                                           headless: true, userDataDir: process.env.FUGAI_PROFILE,
                                           extraPrefsFirefox: { 'intl.accept_languages': 'zh-CN, zh' } });
    }
    catch (error) {
        console.log('SKIPPED: Firefox (/usr/bin/firefox-esr) cannot start: ' + error.message.split('\n')[0]);
        process.exit(77);
    }
    console.log('browser: ' + await browser.version());
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 800 });
    const outside = [];
    page.on('request', (request) => {
        const address = request.url();
        if (!address.startsWith(origin + '/') && !address.startsWith('data:') && address !== 'about:blank')
            outside.push(address);
    });
    page.on('dialog', (dialog) => { outside.push('dialog: ' + dialog.message()); dialog.dismiss(); });

    //  Log in
    await page.goto(url);
    check(page.url().endsWith('/login'), 'a visitor is sent to the login page');
    check(await text(page, 'h1') === '登录', 'the login page is in Chinese');
    await shot(browser, page, 'login');
    await page.locator('input[name=name]').fill(process.env.FUGAI_USER);
    await page.locator('input[name=password]').fill('wrong password');
    await follow(page, 'form.login button[type=submit]');
    check((await text(page, '.error')).includes('账号或密码不对'), 'a wrong password is refused, said in Chinese');
    await page.locator('input[name=password]').fill(process.env.FUGAI_PASSWORD);
    await follow(page, 'form.login button[type=submit]');
    check(page.url() === origin + '/', 'the clerk is logged in');
    const header = await text(page, 'header');
    check(header.includes('乡镇') && header.includes('(办事员)'), 'the header gives the tier and the role in Chinese');

    //  Find a household by a Chinese and by a Tibetan name
    await page.locator('input[name=q]').fill(process.env.FUGAI_TIBETAN);
    await follow(page, 'form.search button');
    check((await text(page, 'main table')).includes(process.env.FUGAI_TIBETAN), 'a Tibetan name is found and shown');
    await shot(browser, page, 'search-tibetan');
    await page.locator('input[name=q]').fill(process.env.FUGAI_NAME.slice(0, 2));
    await follow(page, 'form.search button');
    check((await text(page, 'main table')).includes(process.env.FUGAI_NAME), 'the household is found by part of its name');
    await follow(page, 'main table a');
    check((await text(page, 'h1')).includes(process.env.FUGAI_NAME), 'the household page opens');
    check((await text(page, 'main')).includes('13800000001'), 'the household page shows its cadre and phone');
    await shot(browser, page, 'household');
    const household = page.url();

    //  Record a must-visit visit, first with an amount the server refuses
    await follow(page, 'a[href$="/visit"]');
    await page.select('select[name=kind]', 'must_visit');
    await page.select('select[name=must_visit_category]', 'seriously_ill');
    await page.locator('input[name=help_given_fen]').fill('12.345');
    const notes = '<script>window.__xss = 1</script><img src=x onerror="window.__xss=2"> ' + marker;
    await page.locator('textarea[name=notes]').fill(notes);
    const refusal = await follow(page, 'form.record button[type=submit]');
    check(refusal.status() === 422, 'a wrong amount is refused (422)');
    check((await text(page, '#error-help_given_fen')).includes('金额按元填写'),
          'the refusal is said next to the field, in Chinese');
    check(await value(page, 'input[name=help_given_fen]') === '12.345', 'what was typed in the amount is kept');
    check(await value(page, 'textarea[name=notes]') === notes, 'what was typed in the notes is kept');
    check(await value(page, 'select[name=kind]') === 'must_visit', 'the chosen kind is kept');
    await shot(browser, page, 'visit-refused');
    await page.locator('input[name=help_given_fen]').fill('12.50');
    await follow(page, 'form.record button[type=submit]');
    check(page.url().startsWith(household + '?saved='), 'the visit is saved and the household page shown');
    const visits = await text(page, 'main');
    check(visits.includes(marker) && visits.includes('<script>window.__xss = 1</script>'),
          'the visit is listed, the script shown as text');
    check((await page.$$('script')).length === 0 && (await page.$$('main img')).length === 0,
          'no script or image element came from the text');
    check(await page.evaluate(() => window.__xss === undefined), 'nothing typed ran');

    //  A POST without the CSRF token, with the session's cookie: a form
    //  made in the page (its policy forbids fetch) and submitted
    const visitUrl = household.replace(/\?.*/, '') + '/visit';
    const [forged] = await Promise.all([page.waitForNavigation(), page.evaluate((address) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = address;
        const field = document.createElement('input');
        field.name = 'kind';
        field.value = 'pairing';
        form.appendChild(field);
        document.body.appendChild(form);
        form.submit();
    }, visitUrl)]);
    check(forged.status() === 403 && (await text(page, 'main')).includes('校验码'),
          'a POST without the CSRF token is refused (403), said why');

    //  The worklist: the county's directive, acknowledged with its button
    await page.goto(origin + '/worklist');
    check(await text(page, 'h1') === '待办事项', 'the worklist opens');
    check((await text(page, 'main')).includes(process.env.FUGAI_DIRECTIVE), 'the directive to acknowledge is listed');
    await shot(browser, page, 'worklist');
    await follow(page, 'main form[action="/worklist/ack"] button');
    check(page.url().endsWith('/worklist?acked=1'), 'the acknowledgement is saved');
    check(!(await text(page, 'main')).includes(process.env.FUGAI_DIRECTIVE), 'the acknowledged directive leaves the worklist');

    //  The operator page, then English
    await page.goto(origin + '/operator');
    check((await text(page, 'main')).includes('运行中'), 'the operator page says the daemon is up');
    await shot(browser, page, 'operator');
    await page.goto(origin + '/operator?lang=en');
    check(await text(page, 'h1') === 'Operator', '?lang=en gives English');
    await page.goto(origin + '/');
    check(await text(page, 'h1') === 'Find a household', 'English is kept by its cookie');
    check((await text(page, 'header')).includes('(clerk)'), 'the header gives the role in English');
    await shot(browser, page, 'search-en');

    //  Log out: the old session no longer opens pages
    await follow(page, 'header form.inline button');
    check(page.url().endsWith('/login'), 'logged out');
    await page.goto(household);
    check(page.url().endsWith('/login'), 'after logout a page sends to the login page');

    check(outside.length === 0, 'every request stayed on ' + origin + (outside.length ? ': ' + outside.join(', ') : ''));
    await browser.close();
}

main().catch((error) => {
    console.error('FAIL: ' + error.message);
    process.exit(1);
});
