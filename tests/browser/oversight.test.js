// oversight.test.js - the prefecture's and the township's consoles in
// headless Chromium (Debian's chromium, driven by playwright-core). Run
// by oversight.sh in three rounds (FUGAI_ROUND), the shell starting and
// waiting for daemons between them; in the environment:
//   FUGAI_P FUGAI_T (the two consoles), FUGAI_NAME (the household's head),
//   FUGAI_MARKER (in the visit's notes), FUGAI_DIRECTIVE (its title),
//   FUGAI_ORGS ("prefecture county township village"), FUGAI_SHOTS
// Exit 0 passed, 1 failed (the message says what), 77 chromium cannot start.
'use strict';
const lib = require('./lib.js');

const round = Number(process.env.FUGAI_ROUND);
const urlP = process.env.FUGAI_P, urlT = process.env.FUGAI_T, urlC = process.env.FUGAI_C;
const shots = process.env.FUGAI_SHOTS;
const name = process.env.FUGAI_NAME, marker = process.env.FUGAI_MARKER, title = process.env.FUGAI_DIRECTIVE;
const [orgP, orgC, orgT, orgV] = process.env.FUGAI_ORGS.split(' ');

function check (condition, message) {
    if (!condition)
        throw new Error(`round ${round}: ${message}`);
    console.log(`ok - round ${round}: ${message}`);
}

//  A screenshot of the page, checked not blank (lib.js), named by the round
const shot = (context, page, label) => lib.shot(context, page, shots, `${round}-${label}`);

async function login (page, url, user, password) {
    await page.goto(url + '/login');
    await page.fill('input[name=name]', user);
    await page.fill('input[name=password]', password);
    await page.click('form.login button[type=submit]');
    check(page.url() === new URL(url).origin + '/', `${user} is logged in at ${url}`);
}

//  The drill-down from the prefecture to the village, by the units' names
async function drill (context, page, label) {
    await page.goto(urlP + '/org');
    check(page.url().startsWith(`${urlP}/org/${orgP}`), '/org opens the node\'s own unit');
    check((await page.textContent('h1')).includes('甘孜州'), 'the prefecture\'s page is named');
    check((await page.$$('main svg.chart')).length === 1, 'the coverage chart is drawn (inline SVG)');
    check((await page.textContent('p.meta')).includes('数据前沿'), 'the page says its as-of day and frontier');
    await shot(context, page, `${label}-prefecture`);
    await page.click('table.drill a:has-text("甘孜县")');
    check(page.url().includes(`/org/${orgC}`), 'the county opens from its name');
    await page.click('table.drill a:has-text("呷拉乡")');
    check(page.url().includes(`/org/${orgT}`), 'the township opens from its name');
    check((await page.textContent('nav.crumbs')).includes('甘孜州'), 'the way back up is shown');
    await shot(context, page, `${label}-township`);
    await page.click('table.drill a:has-text("色西村")');
    check(page.url().includes(`/org/${orgV}`), 'the village opens from its name');
    //  The village's row: households, paired, ..., visits (column 9)
    const cells = await page.$$eval('table.drill tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    await shot(context, page, `${label}-village`);
    return cells;
}

async function main () {
    const origins = [new URL(urlP).origin, new URL(urlT).origin, new URL(urlC).origin];
    const { browser, context, page, outside, weights } = await lib.start(origins, { width: 1200, height: 900 });

    if (round === 1) {
        //  The township, offline: a clerk records a visit
        await login(page, urlT, 'clerk1', 'clerk-pass-7');
        await page.fill('input[name=q]', name);
        await page.click('form.search button');
        await page.click('main table a');
        await page.click('a[href$="/visit"]');
        await page.selectOption('select[name=kind]', 'pairing');
        await page.fill('textarea[name=notes]', 'offline ' + marker);
        await page.click('form.record button[type=submit]');
        check(page.url().includes('?saved='), 'the visit is saved at the offline township');
        await page.goto(urlT + '/operator');
        check(Number(await page.textContent('#waiting-up')) > 0, 'the township has entries waiting to go up');

        //  The prefecture: nothing of the visit yet
        await login(page, urlP, 'chief', 'chief-pass-7');
        await page.goto(urlP + '/oversight');
        check((await page.textContent('h1')) === '总览', 'the overview opens, in Chinese');
        const violated = await page.textContent('#violated'), pending = await page.textContent('#pending');
        check(/^\d+$/.test(violated) && /^\d+$/.test(pending), `VIOLATED (${violated}) and PENDING_SYNC (${pending}) are counted apart`);
        check((await page.$$('main svg.chart')).length === 1 && (await page.textContent('table.drill')).includes('甘孜县'),
              'the overview shows coverage at a glance: the chart and the units one level down, by name');
        await shot(context, page, 'oversight');
        const cells = await drill(context, page, 'before');
        check(cells[1] === '色西村' && cells[8] === '0', `the village has no visit at the prefecture before the link heals (${cells.join('|')})`);
        check(!(await page.textContent('main')).includes(name), 'the household is not at the prefecture yet');

        //  Every report of the registry as a page
        for (const report of ['coverage', 'assistance', 'appeals', 'branches', 'directives', 'links', 'temples']) {
            const response = await page.goto(`${urlP}/report/${report}?period=2026`);
            check(response.status() === 200 && (await page.$$('div.report section')).length >= 1,
                  `the ${report} report is a page with its sections`);
            check((await page.textContent('div.report p.meta')).includes('截至'), `the ${report} report says its as-of day`);
        }
        await page.goto(`${urlP}/report/coverage`);
        check((await page.$$('div.report svg.chart')).length >= 1, 'the coverage report draws its chart');
        await shot(context, page, 'report-coverage');
        await page.goto(`${urlP}/findings`);
        check((await page.textContent('h1')) === '问题清单', 'the findings list opens');
        check((await page.textContent('main')).includes('PENDING_SYNC'), 'the findings name PENDING_SYNC apart');
        await shot(context, page, 'findings');
        await page.goto(`${urlP}/oversight?lang=en`);
        check((await page.textContent('h1')) === 'Oversight', 'English through the language switch');
        await page.goto(`${urlP}/org/${orgC}`);
        check((await page.textContent('table.drill thead')).includes('coverage %'), 'the drill-down in English');
        await page.goto(`${urlP}/oversight?lang=zh`);

        //  A directive to the township: first without a title
        await page.goto(`${urlP}/directives`);
        await page.selectOption('select[name=org_id]', orgT);
        await page.fill('textarea[name=body]', '<script>window.__xss=1</script>请于一月十日前完成 ' + marker);
        await page.fill('input[name=due_on]', '2027-01-10');
        const [refusal] = await Promise.all([page.waitForNavigation(), page.click('form.directive button[type=submit]')]);
        check(refusal.status() === 422 && (await page.textContent('#error-title')).includes('必填'),
              'a directive without a title is refused next to the field');
        check((await page.inputValue('select[name=org_id]')) === orgT
              && (await page.inputValue('input[name=due_on]')) === '2027-01-10'
              && (await page.inputValue('textarea[name=body]')).includes(marker), 'what was typed is kept');
        await page.fill('input[name=title]', title);
        await page.click('form.directive button[type=submit]');
        check(page.url().includes('/directives?issued='), 'the directive is issued');
        const list = await page.textContent('#issued');
        check(list.includes(title) && list.includes('呷拉乡'), 'the directive is listed with its target by name');
        check((await page.$$('script')).length === 0 && await page.evaluate(() => window.__xss === undefined),
              'nothing typed ran');
        await shot(context, page, 'directives');
    }
    else if (round === 2) {
        //  The township acknowledges the directive in its console
        await login(page, urlT, 'clerk1', 'clerk-pass-7');
        await page.goto(urlT + '/worklist');
        check((await page.textContent('main')).includes(title), 'the prefecture\'s directive is on the township\'s worklist');
        await shot(context, page, 'worklist');
        const row = page.locator('main tr', { hasText: title });
        await row.locator('select[name=state]').selectOption('applied');
        await row.locator('button').click();
        check(page.url().endsWith('/worklist?acked=1'), 'the township acknowledged it (applied)');
        check(!(await page.textContent('main')).includes(title), 'the acknowledged directive leaves the worklist');
        await page.goto(urlT + '/directives');
        check((await page.$$('form.directive')).length === 0, 'a township has no form to issue directives');
    }
    else {
        //  The prefecture: the acknowledgement, and the visit in the drill-down
        await login(page, urlP, 'chief', 'chief-pass-7');
        await page.goto(`${urlP}/directives`);
        const row = page.locator('#directives-targets tr', { hasText: title });
        check((await row.count()) === 1, 'the directive has one target row');
        const text = await row.textContent();
        check(text.includes('呷拉乡') && text.includes('已执行'), `the township's acknowledgement shows as applied (${text})`);
        await shot(context, page, 'directives-acked');
        await page.goto(`${urlP}/findings?state=pending`);
        const pending = Number(await page.textContent('#pending'));
        const m1 = page.locator('main table tr', { hasText: 'M1' });
        check(pending >= 1 && (await m1.count()) >= 1 && (await m1.first().textContent()).includes('待同步')
              && (await m1.first().textContent()).includes('28100'),
              `the must-visit due yesterday is PENDING_SYNC at the prefecture, waiting for the township (${pending} pending)`);
        await shot(context, page, 'findings-pending');
        const cells = await drill(context, page, 'after');
        check(cells[2] === '2' && cells[3] === '1' && Number(cells[8]) >= 1,
              `the village counts the household, its pair and the visit (${cells.join('|')})`);
        const household = page.locator('#households tr', { hasText: name });
        check((await household.count()) === 1, 'the village lists the household by its head\'s name');
        await household.locator('a').click();
        check((await page.textContent('h1')).includes(name), 'the drill-down ends at the household page');
        check((await page.textContent('main')).includes(marker), 'the visit recorded offline at the township is on it');
        await shot(context, page, 'household');

        //  The county's pairing plan: dry run, review, publish once confirmed
        await login(page, urlC, 'office', 'office-pass-7');
        await page.goto(urlC + '/plan');
        check((await page.textContent('h1')) === '结对方案', 'the county\'s plan page opens');
        await page.click('form.period button');
        const township = await page.$$eval('#by-township tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
        check(township[1] === '呷拉乡' && township[2] === '1' && township[3] === '0' && township[4] === '1',
              `the dry run counts by township: 1 kept, 0 changed, 1 added (${township.join('|')})`);
        const village = await page.$$eval('#by-village tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
        check(village[1] === '色西村' && village[4] === '1', `and by village (${village.join('|')})`);
        const change = page.locator('#changes tr', { hasText: process.env.FUGAI_NEW });
        check((await change.count()) === 1 && (await change.textContent()).includes('新增')
              && (await change.textContent()).includes('卓玛'), 'the list names the new pair: household and cadre');
        check((await page.$$('#by-township svg.chart')).length === 1, 'the changes are charted');
        await shot(context, page, 'plan-review');
        const [refused] = await Promise.all([page.waitForNavigation(), page.click('form.publish button')]);
        check(refused.status() === 422 && (await page.textContent('#refusal')).includes('勾选确认'),
              'publishing without the confirmation is refused, said why');
        await page.check('form.publish input[name=confirm]');
        await page.click('form.publish button');
        check(page.url().includes('/plan?published=1') && (await page.textContent('#published')).includes('1'),
              'the plan is published (version 1)');
        await shot(context, page, 'plan-published');
    }
    check(outside.length === 0, 'every request stayed on 127.0.0.1' + (outside.length ? ': ' + outside.join(', ') : ''));
    await browser.close();
    console.log('page weights (bytes, uncompressed): ' + JSON.stringify(weights));
}

main().catch((error) => {
    console.error('FAIL: ' + error.message);
    process.exit(1);
});
