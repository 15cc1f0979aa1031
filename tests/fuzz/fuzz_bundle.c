/*  fuzz_bundle.c - libFuzzer target: a bundle file, as fugai import reads
    it (fgp_bundle_decode, the same checks as fgp_bundle_open).

    Whatever the bytes, the decoder must not crash, read out of bounds,
    leak or inflate past its limit (FGP_BUNDLE_MAX_RAW); it must refuse
    with a reason or return a bundle whose header is within its bounds.
    Its signature is then checked against a key that did not sign it (it
    must fail, and no entry may be handed out before a verify), and the
    entries are walked as if it had verified, through the bundle's own
    reader. Seed corpus: tests/fuzz/corpus/bundle (fugai-make-vectors
    --corpus). Any abort() below is a finding.
*/
#include "fgp_bundle.h"
#include "fg_entry.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char err [256] = "";
    fgp_bundle_t *bundle = fgp_bundle_decode (data, size, err, sizeof err);
    if (!bundle) {
        if (!err [0])
            abort ();               //  a refusal always says why
        return 0;
    }
    const fgp_bundle_info_t *info = fgp_bundle_info (bundle);
    if (!info || info->raw_size > FGP_BUNDLE_MAX_RAW)
        abort ();
    const uint8_t *entry;
    size_t entry_size;
    if (fgp_bundle_next (bundle, &entry, &entry_size) == 1)
        abort ();                   //  nothing before the signature is checked
    uint8_t stranger [FG_SIGN_PK_SIZE];
    memset (stranger, 0x42, sizeof stranger);
    if (fgp_bundle_verify (bundle, stranger) == 0)
        abort ();                   //  (a key nobody holds)
    fgp_bundle_destroy (&bundle);
    return 0;
}
