// console.test.js - the web console in headless Chromium (Debian's
// chromium, driven by playwright-core). Run by console.sh, which starts a
// township whose parent is down and passes, in the environment:
//   FUGAI_URL  FUGAI_USER  FUGAI_PASSWORD  FUGAI_NAME  FUGAI_TIBETAN  FUGAI_SHOTS  FUGAI_MARKER
// Exit 0 passed, 1 failed (the message says what), 77 chromium cannot start.
'use strict';
const lib = require('./lib.js');

const url = process.env.FUGAI_URL;
const origin = new URL(url).origin;
const shots = process.env.FUGAI_SHOTS;
const marker = process.env.FUGAI_MARKER;
const check = lib.check;
const shot = (context, page, name) => lib.shot(check, context, page, shots, name);

async function main () {
    const { browser, context, page, outside, weights } = await lib.start([origin], { width: 1100, height: 800 });

    //  Log in
    await page.goto(url);
    check(page.url().endsWith('/login'), 'a visitor is sent to the login page');
    check((await page.textContent('h1')) === '登录', 'the login page is in Chinese');
    await shot(context, page, 'login');
    await page.fill('input[name=name]', process.env.FUGAI_USER);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('form.login button[type=submit]');
    check((await page.textContent('.error')).includes('账号或密码不对'), 'a wrong password is refused, said in Chinese');
    await page.fill('input[name=password]', process.env.FUGAI_PASSWORD);
    await page.click('form.login button[type=submit]');
    check(page.url() === origin + '/', 'the clerk is logged in');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'fg_session');
    check(session && session.httpOnly && session.sameSite === 'Strict', 'the session cookie is HttpOnly and SameSite=Strict');

    //  Find a household by name
    await page.fill('input[name=q]', process.env.FUGAI_NAME.slice(0, 2));
    await page.click('form.search button');
    check((await page.textContent('main table')).includes(process.env.FUGAI_NAME), 'the household is found by part of its name');
    await shot(context, page, 'search');
    await page.fill('input[name=q]', process.env.FUGAI_TIBETAN);
    await page.click('form.search button');
    check((await page.textContent('main table')).includes(process.env.FUGAI_TIBETAN), 'a Tibetan name is found and shown');
    await shot(context, page, 'search-tibetan');
    await page.fill('input[name=q]', process.env.FUGAI_NAME);
    await page.click('form.search button');
    await page.click('main table a');
    check((await page.textContent('h1')).includes(process.env.FUGAI_NAME), 'the household page opens');
    check((await page.textContent('main')).includes('13800000001'), 'the household page shows its cadre and phone');
    await shot(context, page, 'household');
    const household = page.url();

    //  Record a must-visit visit, first with an amount the server refuses
    await page.click('a[href$="/visit"]');
    await shot(context, page, 'visit-form');
    await page.selectOption('select[name=kind]', 'must_visit');
    await page.selectOption('select[name=must_visit_category]', 'seriously_ill');
    await page.fill('input[name=help_given_fen]', '12.345');
    const notes = '<script>window.__xss = 1</script><img src=x onerror="window.__xss=2"> ' + marker;
    await page.fill('textarea[name=notes]', notes);
    const [refusal] = await Promise.all([
        page.waitForNavigation(),
        page.click('form.record button[type=submit]')]);
    check(refusal.status() === 422, 'a wrong amount is refused (422)');
    check((await page.textContent('#error-help_given_fen')).includes('金额按元填写'),
          'the refusal is said next to the field, in Chinese');
    check((await page.inputValue('input[name=help_given_fen]')) === '12.345', 'what was typed in the amount is kept');
    check((await page.inputValue('textarea[name=notes]')) === notes, 'what was typed in the notes is kept');
    check((await page.inputValue('select[name=kind]')) === 'must_visit', 'the chosen kind is kept');
    await shot(context, page, 'visit-refused');
    await page.fill('input[name=help_given_fen]', '12.50');
    await page.click('form.record button[type=submit]');
    check(page.url().startsWith(household + '?saved='), 'the visit is saved and the household page shown');
    const visits = await page.textContent('main');
    check(visits.includes(marker) && visits.includes('<script>window.__xss = 1</script>'),
          'the visit is listed, the script shown as text');
    check((await page.$$('script')).length === 0 && (await page.$$('main img')).length === 0,
          'no script or image element came from the text');
    check(await page.evaluate(() => window.__xss === undefined), 'nothing typed ran');

    //  A POST without the CSRF token, with the session's cookie
    const visitUrl = household.replace(/\?.*/, '') + '/visit';
    let response = await context.request.post(visitUrl, { form: { kind: 'pairing', occurred_on: '2026-01-01' } });
    check(response.status() === 403 && (await response.text()).includes('校验码'), 'a POST without the CSRF token is refused (403), said why');
    response = await context.request.post(visitUrl, { form: { csrf: 'a'.repeat(64), kind: 'pairing' } });
    check(response.status() === 403, 'a POST with a wrong CSRF token is refused (403)');

    //  The worklist: the county's directive, acknowledged with its button
    await page.goto(origin + '/worklist');
    check((await page.textContent('h1')) === '待办事项', 'the worklist opens');
    check((await page.textContent('main')).includes(process.env.FUGAI_DIRECTIVE), 'the directive to acknowledge is listed');
    await shot(context, page, 'worklist');
    await page.click('main form[action="/worklist/ack"] button');
    check(page.url().endsWith('/worklist?acked=1') && (await page.textContent('.ok')) === '已保存。', 'the acknowledgement is saved');
    check(!(await page.textContent('main')).includes(process.env.FUGAI_DIRECTIVE), 'the acknowledged directive leaves the worklist');
    await page.goto(origin + '/operator');
    const operator = await page.textContent('main');
    check(operator.includes('运行中') && (operator.includes('连接中') || operator.includes('从未')),
          'the operator page says the daemon is up and the parent link is not connected');
    check(Number(await page.textContent('#waiting-up')) > 0, 'entries wait to go up (the parent is down)');
    await shot(context, page, 'operator');
    await page.goto(origin + '/operator?lang=en');
    check((await page.textContent('h1')) === 'Operator', '?lang=en gives English');
    await page.goto(origin + '/');
    check((await page.textContent('h1')) === 'Find a household', 'English is kept by its cookie');

    //  Log out: the old session no longer opens pages
    await page.click('header form.inline button');
    check(page.url().endsWith('/login'), 'logged out');
    await page.goto(household);
    check(page.url().endsWith('/login'), 'after logout a page sends to the login page');

    check(outside.length === 0, 'every request stayed on ' + origin + (outside.length ? ': ' + outside.join(', ') : ''));
    await browser.close();
    console.log('page weights (bytes, uncompressed): ' + JSON.stringify(weights));
}

main().catch((error) => {
    console.error('FAIL: ' + error.message);
    process.exit(1);
});
