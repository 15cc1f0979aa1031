// review.test.js - the county's proposals, the org picker and the
// findings' evidence, and the township's CSV import, in headless Chromium
// (Debian's chromium, driven by playwright-core). Run by review.sh; in the
// environment: FUGAI_C FUGAI_T (the consoles), FUGAI_NEEDY FUGAI_DEMO (the
// two households proposed for), FUGAI_H1 (the first's id), FUGAI_BAD FUGAI_GOOD (CSV files),
// FUGAI_ORGS ("prefecture county township village"), FUGAI_SHOTS.
// Exit 0 passed, 1 failed (the message says what), 77 chromium cannot start.
'use strict';
const lib = require('./lib.js');

const urlC = process.env.FUGAI_C, urlT = process.env.FUGAI_T;
const shots = process.env.FUGAI_SHOTS;
const needy = process.env.FUGAI_NEEDY, demo = process.env.FUGAI_DEMO;
const [, orgC, orgT] = process.env.FUGAI_ORGS.split(' ');
const REASON = '收入在低保线以上（2026 年调查）';
const round = Number(process.env.FUGAI_ROUND || 1);
const check = lib.checker(`round ${round}: `);
const shot = (context, page, name) => lib.shot(check, context, page, shots, `${round}-${name}`);
const login = (page, url, user, password) => lib.login(check, page, url, user, password);

//  The article of the pending proposal about the household named `head`
function proposalOf (head) {
    return `#pending article.proposal:has(dd.row:has-text("${head}"))`;
}

async function main () {
    const { browser, context, outside } = await lib.launch([new URL(urlC).origin, new URL(urlT).origin]);
    const page = await context.newPage();
    page.on('dialog', (dialog) => { outside.push('dialog: ' + dialog.message()); dialog.dismiss(); });
    if (round === 2)
        await township(context, page);
    else
        await county(context, page);
    check(outside.length === 0, 'every request stayed on 127.0.0.1' + (outside.length ? ': ' + outside.join(', ') : ''));
    await browser.close();
}

//  Round 2, after the sync: the township's console shows the decisions,
//  the rejection's reason with it
async function township (context, page) {
    await login(page, urlT, 'clerk1', 'clerk-pass-7');
    await page.goto(urlT + '/proposals');
    check((await page.$$('#pending article.proposal')).length === 0, 'nothing is pending at the township any more');
    const decided = await page.textContent('#decided-list table');
    check(decided.includes(REASON) && decided.includes('已拒绝') && decided.includes('已同意') && decided.includes('甘孜县'),
          'the township sees the county\'s decisions, the rejection\'s reason with it');
    await shot(context, page, 'township-decided');
}

//  Round 1: the county decides; the org picker, the evidence; the township imports
async function county (context, page) {

    //  The county: a clerk sees the proposals, by name, and cannot decide
    await login(page, urlC, 'cclerk', 'cclerk-pass-7');
    check((await page.textContent('#nav-proposals')).includes('(2)'), 'the header counts 2 pending proposals');
    await page.click('#nav-proposals');
    check((await page.textContent('h1')) === '提议', 'the proposals page opens, in Chinese');
    check((await page.$$('#pending article.proposal')).length === 2, 'two proposals are pending');
    const needyText = await page.textContent(proposalOf(needy));
    check(needyText.includes('困难户') && needyText.includes('（空）') && needyText.includes('是') && needyText.includes('clerk1'),
          'the needy proposal says who (clerk1), which household (by name) and what: 困难户 （空） → 是');
    check((await page.$$('form.decide')).length === 0 && (await page.textContent('#may-not-decide')).includes('审核员'),
          'a clerk is shown no decision form, and told why');
    const csrf = await page.getAttribute('form.inline input[name=csrf]', 'value');
    const id = (await page.getAttribute(proposalOf(needy), 'id')).slice(2);
    const forbidden = await context.request.post(urlC + '/proposals', {
        form: { csrf, proposal: id, decision: 'reject', reason: 'no', confirm: 'yes' }, maxRedirects: 0 });
    check(forbidden.status() === 403 && (await forbidden.text()).includes('审核员'),
          'a clerk\'s decision is refused (403), said why');
    await shot(context, page, 'proposals-clerk');

    //  A reviewer: refused without the confirmation (the reason kept),
    //  then rejects one and accepts the other
    await login(page, urlC, 'office', 'office-pass-7');
    await page.goto(urlC + '/proposals');
    await page.fill(`${proposalOf(needy)} input[name=reason]`, REASON);
    const [refused] = await Promise.all([page.waitForNavigation(),
                                         page.click(`${proposalOf(needy)} button[value=reject]`)]);
    check(refused.status() === 422 && (await page.textContent('#refusal')).includes('勾选确认'),
          'a decision without the confirmation is refused, said why');
    check((await page.inputValue(`${proposalOf(needy)} input[name=reason]`)) === REASON, 'the reason typed is kept');
    await page.check(`${proposalOf(needy)} input[name=confirm]`);
    await page.click(`${proposalOf(needy)} button[value=reject]`);
    check(page.url().includes('decided=rejected') && (await page.textContent('#decided')).includes('已拒绝'),
          'the needy proposal is rejected');
    await page.check(`${proposalOf(demo)} input[name=confirm]`);
    await page.click(`${proposalOf(demo)} button[value=accept]`);
    check(page.url().includes('decided=accepted'), 'the demonstration proposal is accepted');
    check((await page.$$('#pending article.proposal')).length === 0 && (await page.textContent('#nav-proposals')).includes('(0)'),
          'none is pending any more');
    const decided = await page.textContent('#decided-list table');
    check(decided.includes(REASON) && decided.includes('已拒绝') && decided.includes('已同意') && decided.includes(needy),
          'the decided proposals are listed apart, with their decision and the reason');
    await shot(context, page, 'proposals-decided');

    //  The org picker narrows a report to the township, by name
    await page.goto(urlC + '/report/coverage');
    const options = await page.$$eval('#org-picker option', (os) => os.map((o) => o.textContent));
    check(options.some((o) => o.includes('呷拉乡')) && options.some((o) => o.includes('色西村')),
          'the org picker offers the township and the village by name');
    await page.selectOption('#org-picker', orgT);
    await page.click('form.period button[type=submit]');
    check(page.url().includes(`org=${orgT}`) && (await page.inputValue('#org-picker')) === orgT,
          'the report is narrowed to the township picked');
    await shot(context, page, 'report-township');

    //  Findings: the evidence in Chinese, English with ?lang=en
    await page.goto(urlC + `/findings?state=all&org=${orgC}`);
    const evidence = await page.$$eval('main table tbody tr', (trs) => trs.map((tr) => tr.textContent));
    check(evidence.some((e) => e.includes('必访事项（重病）') && e.includes('期间没有')),
          'the must-visit finding\'s evidence is in Chinese');
    await page.selectOption('#org-picker', orgT);
    await page.click('form.period button[type=submit]');
    check(page.url().includes(`org=${orgT}`), 'the findings are narrowed by the picker');
    await shot(context, page, 'findings-zh');
    await page.goto(urlC + `/findings?state=all&org=${orgC}&lang=en`);
    check((await page.textContent('main')).includes('no in-person visit'), 'in English with ?lang=en');
    await page.goto(urlC + '/findings?lang=zh');

    //  The township: a clerk imports a CSV with errors, then a good GBK one
    await login(page, urlT, 'clerk1', 'clerk-pass-7');
    await page.goto(urlT + '/import');
    check((await page.textContent('h1')) === '导入 CSV', 'the import page opens, in Chinese');
    await page.selectOption('select[name=table]', 'household');
    await page.setInputFiles('input[name=file]', process.env.FUGAI_BAD);
    const [bad] = await Promise.all([page.waitForNavigation(), page.click('form.import button[type=submit]')]);
    check(bad.status() === 422 && (await page.textContent('#error-count')) === '3', 'the file with errors: 3 errors counted');
    const errors = await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((td) => td.textContent)));
    check(errors.length === 3, 'every error is listed at once (3)');
    check(errors[0][0] === '2' && errors[0][1] === '生产方式' && errors[0][2].includes('规定的选项'),
          'line 2: the economy column, in Chinese');
    check(errors[1][0] === '3' && errors[1][1] === '家庭人口' && errors[1][2].includes('整数'), 'line 3: the size, in Chinese');
    check(errors[2][0] === '4' && errors[2][1] === '户主姓名' && errors[2][2].includes('必填'), 'line 4: the head\'s name is missing');
    check((await page.$$('form.confirm')).length === 0 && (await page.textContent('#refusal')).includes('一行也没有写入'),
          'nothing is written, and no confirmation is offered');
    await shot(context, page, 'import-errors');

    await page.setInputFiles('input[name=file]', process.env.FUGAI_GOOD);
    await page.click('form.import button[type=submit]');
    check((await page.textContent('#preview-counts')).includes('GB18030') && (await page.textContent('#error-count')) === '0',
          'the GBK file is read as GB18030, no error');
    const rows = await page.$$eval('#preview-rows tbody tr', (trs) => trs.map((tr) => tr.textContent));
    check(rows.length === 3 && rows[0].includes('格桑旺姆') && rows[0].includes('色西村') && rows[0].includes('牧区'),
          'the preview shows the rows by name (the village by its name, the economy by its label)');
    check(rows[2].includes('<script>alert(1)</script>') && (await page.$$('main script')).length === 0,
          'a script in a cell is shown as text');
    await shot(context, page, 'import-preview');
    const [unconfirmed] = await Promise.all([page.waitForNavigation(), page.click('form.confirm button')]);
    check(unconfirmed.status() === 422 && (await page.textContent('#refusal')).includes('勾选确认'),
          'importing without the confirmation is refused, said why');
    await page.check('form.confirm input[name=confirm]');
    await page.click('form.confirm button');
    check(page.url().includes('/import?imported=3') && (await page.textContent('#imported-count')) === '3',
          'the import is written: 3 rows');
    await shot(context, page, 'import-done');

    //  Pasted text (the plain fallback): a household's members, the
    //  household shown by its head's name
    await page.selectOption('select[name=table]', 'person');
    await page.fill('textarea[name=text]', `household_id,姓名,性别,与户主关系\n${process.env.FUGAI_H1},卓嘎,female,妻子\n`);
    await page.click('form.import button[type=submit]');
    const people = await page.$$eval('#preview-rows tbody tr', (trs) => trs.map((tr) => tr.textContent));
    check(people.length === 1 && people[0].includes(needy) && people[0].includes('女'),
          'a pasted member\'s preview names her household by its head and her gender by its label');
    check((await page.inputValue('textarea[name=text]')).includes('卓嘎'), 'the pasted text is kept in the form');
    await page.check('form.confirm input[name=confirm]');
    await page.click('form.confirm button');
    check((await page.textContent('#imported-count')) === '1', 'the member is written: 1 row');
}

main().catch((error) => {
    console.error('FAIL: ' + error.message);
    process.exit(1);
});
