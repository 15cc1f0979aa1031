// replicate.js N DIR - the PouchDB side of tests/bench/pouchdb/compare:
// N documents, one household each (the fields a township writes), are
// written to a PouchDB on LevelDB in DIR (1000 per bulkDocs), then
// replicated to a second, empty PouchDB in DIR; the time of the
// replication alone is measured. Local to local, no network, no
// signatures and LevelDB's default (no fsync per write): the most
// favourable setting PouchDB has. Prints one line of JSON:
// {"docs": N, "seconds": S, "rate": docs per second}.
'use strict';
const PouchDB = require('pouchdb');
const path = require('path');

async function main () {
    const n = Number(process.argv[2]);
    const dir = process.argv[3];
    if (!(n > 0) || !dir) {
        console.error('usage: node replicate.js N DIR');
        process.exit(2);
    }
    const source = new PouchDB(path.join(dir, 'source'));
    const target = new PouchDB(path.join(dir, 'target'));
    for (let i = 0; i < n; i += 1000) {
        const docs = [];
        for (let j = i; j < Math.min(n, i + 1000); j++)
            docs.push({ _id: 'household-' + String(j).padStart(8, '0'), org_id: '513328100201',
                        head_name: '扎西多吉' + j, hukou_no: 'HK-' + j, size: 4, economy: 'herding' });
        await source.bulkDocs(docs);
    }
    const start = process.hrtime.bigint();
    const result = await PouchDB.replicate(source, target, { batch_size: 1000, batches_limit: 10 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const info = await target.info();
    if (result.docs_written !== n || info.doc_count !== n)
        throw new Error(`replicated ${result.docs_written} documents, the target holds ${info.doc_count}, not ${n}`);
    console.log(JSON.stringify({ docs: n, seconds, rate: n / seconds }));
    await source.close();
    await target.close();
}

main().catch((error) => {
    console.error('replicate.js: ' + error.message);
    process.exit(1);
});
