// clerk.test.js - a township clerk's casework in the web console, in
// headless Chromium (Debian's chromium, driven by playwright-core). Run by
// clerk.sh, which starts a township whose parent is down and passes, in
// the environment: FUGAI_URL FUGAI_USER FUGAI_PASSWORD FUGAI_NAME
// FUGAI_CHILD (a member identified as vulnerable, id FUGAI_VP)
// FUGAI_TRIGGER (a must-visit due) FUGAI_LATE (one overdue) FUGAI_WHY (the
// reason the county refused a change) FUGAI_VILLAGE FUGAI_SHOTS FUGAI_MARKER.
// Exit 0 passed, 1 failed (the message says what), 77 chromium cannot start.
'use strict';
const lib = require('./lib.js');

const env = process.env;
const url = env.FUGAI_URL;
const origin = new URL(url).origin;
const marker = env.FUGAI_MARKER;
const check = lib.check;
const shot = (context, page, name) => lib.shot(check, context, page, env.FUGAI_SHOTS, name);

//  Submit the page's form of class css and wait for the answer
async function submit (page, css) {
    const [response] = await Promise.all([
        page.waitForNavigation(),
        page.click(`form.${css} button[type=submit]`)]);
    return response;
}

async function main () {
    const { browser, context, page, outside, weights } = await lib.start([origin], { width: 1100, height: 800 });

    //  Log in, find the household by part of its head's name
    await page.goto(url);
    await page.fill('input[name=name]', env.FUGAI_USER);
    await page.fill('input[name=password]', env.FUGAI_PASSWORD);
    await page.click('form.login button[type=submit]');
    check(page.url() === origin + '/', 'the clerk is logged in');
    await page.fill('input[name=q]', env.FUGAI_NAME.slice(0, 2));
    await page.click('form.search button');
    await page.click('main table a');
    check((await page.textContent('h1')).includes(env.FUGAI_NAME), 'the household found by name opens');
    const household = page.url();

    //  Assistance for the vulnerable member: a negative amount first
    await page.click('a[href$="/assistance"]');
    check((await page.textContent('h1')).startsWith('登记帮扶'), 'the assistance form opens, in Chinese');
    const beneficiaries = await page.$$eval('select[name=beneficiary_id] option', (options) => options.map((o) => o.textContent));
    check(beneficiaries.some((text) => text.includes(env.FUGAI_CHILD) && text.includes('残疾人')),
          'the member is picked by name, with her category: ' + beneficiaries.join(' | '));
    check((await page.$$eval('select[name=type] option', (o) => o.map((x) => x.textContent))).includes('现金补助'),
          'the kinds of assistance are a drop-down in Chinese');
    check((await page.getAttribute('input[name=occurred_on]', 'type')) === 'date', 'the date is a date field');
    await shot(context, page, 'assistance-form');
    await page.selectOption('select[name=beneficiary_id]', env.FUGAI_VP);
    await page.selectOption('select[name=type]', 'cash_subsidy');
    await page.fill('input[name=amount_fen]', '-500');
    const provider = '<script>window.__xss = 1</script>乡民政办 ' + marker;
    await page.fill('input[name=provider]', provider);
    let response = await submit(page, 'assistance');
    check(response.status() === 422, 'a negative amount is refused (422)');
    check((await page.textContent('#error-amount_fen')).includes('金额不能为负数'),
          'the refusal (rule V3, the write path\'s) is said next to the amount, in Chinese');
    check((await page.textContent('#refusal')).includes('amount_fen must not be negative'),
          'the page also quotes what the write path said');
    check((await page.inputValue('input[name=amount_fen]')) === '-500', 'the amount typed is kept');
    check((await page.inputValue('input[name=provider]')) === provider, 'the provider typed is kept');
    check((await page.inputValue('select[name=beneficiary_id]')) === env.FUGAI_VP, 'the member picked is kept');
    check((await page.inputValue('select[name=type]')) === 'cash_subsidy', 'the kind picked is kept');
    await shot(context, page, 'assistance-refused');
    //  A member whose eligibility the county ended: refused by V3 at the desk
    check((await page.$$eval('select[name=beneficiary_id] option', (o) => o.map((x) => x.textContent)))
              .some((text) => text.includes(env.FUGAI_ELDER) && text.includes('不在享受期内')),
          'the member no longer eligible is said so in the list');
    await page.selectOption('select[name=beneficiary_id]', env.FUGAI_VP2);
    await page.fill('input[name=amount_fen]', '500');
    response = await submit(page, 'assistance');
    check(response.status() === 422 && (await page.textContent('#error-beneficiary_id')).includes('不在享受期内'),
          'assistance for a member not eligible is refused (rule V3), said beside the beneficiary');
    check((await page.inputValue('select[name=beneficiary_id]')) === env.FUGAI_VP2 &&
          (await page.inputValue('input[name=amount_fen]')) === '500', 'what was picked and typed is kept');
    await page.selectOption('select[name=beneficiary_id]', env.FUGAI_VP);
    await submit(page, 'assistance');
    check(page.url().startsWith(household + '?saved='), 'the assistance is saved and the household page shown');
    let table = await page.textContent('table.assistance');
    check(table.includes(env.FUGAI_CHILD) && table.includes('500.00') && table.includes('现金补助'),
          'the household page lists the member\'s assistance, in yuan');
    check(table.includes('<script>window.__xss = 1</script>') && (await page.$$('script')).length === 0,
          'the script typed is shown as text');

    //  Reverse it: the form opens with the record repeated
    await page.click('a.reverse');
    check((await page.textContent('h1')).startsWith('冲正'), 'the reversal form opens');
    check((await page.inputValue('input[name=amount_fen]')) === '500.00', 'the reversal repeats the amount');
    check((await page.inputValue('select[name=beneficiary_id]')) === env.FUGAI_VP, 'the reversal repeats the beneficiary');
    check((await page.inputValue('select[name=reverses_id]')) !== '', 'the record reversed is picked');
    await shot(context, page, 'assistance-reverse');
    await submit(page, 'assistance');
    check(page.url().startsWith(household + '?saved='), 'the reversal is saved');
    check((await page.$$('table.assistance tbody tr')).length === 2 && (await page.$$('a.reverse')).length === 0,
          'both records are listed and neither can be reversed again');

    //  File an appeal, then two transitions
    await page.click('a[href$="/appeal"]');
    check((await page.textContent('h1')).startsWith('登记诉求'), 'the appeal form opens');
    await page.selectOption('select[name=appellant_person_id]', { label: env.FUGAI_CHILD + ' · 女儿' });
    await page.selectOption('select[name=type]', 'dispute');
    await page.selectOption('select[name=topic]', 'land_grassland');
    await page.fill('textarea[name=summary], input[name=summary]', '草场界线纠纷 ' + marker);
    await shot(context, page, 'appeal-form');
    await submit(page, 'appeal');
    check(/\/appeal\/\d+\?saved=1$/.test(page.url()), 'the appeal is filed and its page shown');
    const appeal = page.url().replace(/\?.*/, '');
    check((await page.textContent('main')).includes(env.FUGAI_CHILD), 'the appellant is the member picked');
    check((await page.textContent('dl.facts a')) === env.FUGAI_NAME, 'the appeal links to its household by name');
    check((await page.textContent('#appeal-state')) === '已受理', 'a new appeal is received (已受理)');
    let offered = await page.$$eval('select[name=transition] option', (o) => o.map((x) => x.value).filter((v) => v));
    check(offered.includes('register') && !offered.includes('close') && !offered.includes('resolve'),
          'only the transitions allowed from RECEIVED are offered: ' + offered.join(', '));
    await page.selectOption('select[name=transition]', 'register');
    await submit(page, 'transition');
    check((await page.textContent('#appeal-state')) === '已登记', 'registered (已登记)');
    offered = await page.$$eval('select[name=transition] option', (o) => o.map((x) => x.value).filter((v) => v));
    check(offered.includes('assign') && !offered.includes('register'), 'from REGISTERED: ' + offered.join(', '));
    //  A transition not allowed now, sent anyway: refused, said why
    const csrf = await page.inputValue('form.transition input[name=csrf]');
    response = await context.request.post(appeal, { form: { csrf, transition: 'close', note: 'x' } });
    check(response.status() === 422 && (await response.text()).includes('当前状态下不能这样办理'),
          'a transition the state does not allow is refused (422), said why');
    await page.selectOption('select[name=transition]', 'assign');
    await page.fill('textarea[name=note], input[name=note]', '交村委会调解');
    await submit(page, 'transition');
    check((await page.textContent('#appeal-state')) === '已交办', 'assigned (已交办)');
    check((await page.$$('main table tbody tr')).length === 2, 'the appeal\'s two events are listed');
    await shot(context, page, 'appeal');
    await page.goto(household);
    table = await page.textContent('table.appeals');
    check(table.includes('已交办') && table.includes('矛盾纠纷'), 'the household page shows the appeal and its state');

    //  Printable on A4: the forms' links go, the records stay
    await page.emulateMedia({ media: 'print' });
    check(!(await page.isVisible('a[href$="/assistance"]')) && (await page.isVisible('table.assistance')),
          'printed, the household page shows its records without the links to forms');
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    check(pages >= 1 && pages <= 3, `the household page prints on ${pages} A4 page(s)`);
    await page.emulateMedia({ media: 'screen' });
    await shot(context, page, 'household');

    //  The worklist: the must-visits due and overdue, the change refused above
    await page.goto(origin + '/worklist');
    let waiting = await page.textContent('table.must-visits');
    check(waiting.includes(env.FUGAI_NAME) && waiting.includes('未到期') && waiting.includes('重病'),
          'the must-visit due is on the worklist');
    check(waiting.includes('已逾期') && waiting.includes('突发灾害'), 'the overdue one too');
    const refused = await page.textContent('ul.refused');
    check(refused.includes(env.FUGAI_WHY) && refused.includes('被驳回') && refused.includes(env.FUGAI_NAME),
          'the change refused above, of the household named, and why: ' + refused.trim());
    await shot(context, page, 'worklist');

    //  A publicity event at a village, from the worklist's link
    await page.click('a[href="/publicity"]');
    check((await page.textContent('h1')) === '宣传教育', 'the publicity page opens');
    await page.selectOption('select[name=org_id]', env.FUGAI_VILLAGE);
    await page.selectOption('select[name=method]', 'thematic_lecture');
    await page.selectOption('select[name=theme]', 'gratitude');
    await page.fill('input[name=audience_count]', '35');
    await page.selectOption('select[name=language]', 'bilingual');
    await submit(page, 'publicity');
    check(/\/publicity\?saved=\d+$/.test(page.url()), 'the publicity event is saved');
    const events = await page.textContent('main table');
    check(events.includes('专题宣讲') && events.includes('35') && events.includes('感恩'), 'it is listed, in Chinese');
    await shot(context, page, 'publicity');

    //  Record the due must-visit from the worklist: its trigger picked
    await page.goto(origin + '/worklist');
    await page.click(`a.record-visit[href*="trigger_id=${env.FUGAI_TRIGGER}"]`);
    check((await page.inputValue('select[name=trigger_id]')) === env.FUGAI_TRIGGER, 'the visit form opens with the trigger picked');
    check((await page.inputValue('select[name=kind]')) === 'must_visit' &&
          (await page.inputValue('select[name=must_visit_category]')) === 'seriously_ill',
          'the kind and the category are picked');
    check((await page.inputValue('select[name=cadre_id]')) !== '', 'the paired cadre is picked');
    await shot(context, page, 'visit-from-worklist');
    await page.click('form.record button[type=submit]');
    check(page.url().startsWith(household + '?saved='), 'the visit is saved');
    await page.goto(origin + '/worklist');
    waiting = await page.textContent('table.must-visits');
    check(!waiting.includes(env.FUGAI_NAME) && waiting.includes('突发灾害'),
          'the visited must-visit left the worklist, the overdue one stays');

    //  In English
    await page.goto(household + '?lang=en');
    const english = await page.textContent('main');
    check(english.includes('Assistance') && english.includes('Appeals') && english.includes('assigned') &&
          english.includes('cash subsidy'), 'the household page in English');
    await page.goto(origin + '/worklist');
    check((await page.textContent('main')).includes('Must-visits waiting') &&
          (await page.textContent('main')).includes('Changes refused above'), 'the worklist in English');
    await page.goto(appeal);
    check((await page.textContent('#appeal-state')) === 'assigned', 'the appeal page in English');
    await page.goto(household.replace(/\?.*/, '') + '/assistance');
    await page.fill('input[name=amount_fen]', '-1');
    await page.selectOption('select[name=type]', 'in_kind');
    await submit(page, 'assistance');
    check((await page.textContent('#error-amount_fen')).includes('must not be negative'), 'refusals in English too');
    await shot(context, page, 'assistance-en');

    check(outside.length === 0, 'every request stayed on ' + origin + (outside.length ? ': ' + outside.join(', ') : ''));
    await browser.close();
    console.log('page weights (bytes, uncompressed): ' + JSON.stringify(weights));
}

main().catch((error) => {
    console.error('FAIL: ' + error.message);
    process.exit(1);
});
