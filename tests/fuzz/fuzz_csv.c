/*  fuzz_csv.c - libFuzzer target: a CSV file of a register, as fugai
    import reads it (fg_csv_new, fg_csv_next).

    Whatever the bytes, the reader must not crash, read out of bounds,
    leak or loop: each record is handed out with its fields as
    NUL-terminated strings, or refused (-1), and the reading ends. Seed
    corpus: tests/fuzz/corpus/csv. Any abort() below is a finding.
*/
#include "fg_csv.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fg_csv_t *csv = fg_csv_new ((const char *) data, size);
    if (!csv)
        abort ();
    char **fields;
    size_t count;
    int rc;
    size_t records = 0;
    size_t line = 0;
    while ((rc = fg_csv_next (csv, &fields, &count)) == 1) {
        if (++records > size + 1)
            abort ();               //  more records than bytes: a loop
        size_t total = 0;
        for (size_t i = 0; i < count; i++) {
            if (!fields [i])
                abort ();
            total += strlen (fields [i]);
        }
        //  GB18030 read as UTF-8 grows: two bytes become three, or four
        //  for the pairs glibc maps outside the BMP (FE91), so the
        //  fields hold at most twice the input
        if (total > 2 * size)
            abort ();
        if (fg_csv_line (csv) < line)
            abort ();
        line = fg_csv_line (csv);
    }
    if (rc != 0 && rc != -1)
        abort ();
    fg_csv_destroy (&csv);
    return 0;
}
