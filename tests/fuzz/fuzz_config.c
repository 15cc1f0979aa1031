/*  fuzz_config.c - libFuzzer target: a node's configuration file
    (fugai.cfg, ZPL), as every program loads it (fg_config_load).

    The bytes are written to a scratch directory's fugai.cfg and loaded.
    Whatever they are, the loader must not crash, read out of bounds or
    leak; it must refuse with a reason or return a configuration whose
    values are within their documented ranges. Seed corpus:
    tests/fuzz/corpus/config. Any abort() below is a finding.
*/
#include "fg_config.h"
#include "fg_org.h"
#include <unistd.h>
#include <sys/stat.h>

static char s_dir [64];
static char s_path [96];

static void
s_cleanup (void)
{
    remove (s_path);
    rmdir (s_dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (!s_dir [0]) {
        snprintf (s_dir, sizeof s_dir, "/tmp/fuzz_config.%d", (int) getpid ());
        snprintf (s_path, sizeof s_path, "%s/fugai.cfg", s_dir);
        mkdir (s_dir, 0700);
        atexit (s_cleanup);
    }
    FILE *file = fopen (s_path, "wb");
    if (!file)
        abort ();
    if (size && fwrite (data, 1, size, file) != size)
        abort ();
    fclose (file);
    char err [512] = "";
    fg_config_t *config = fg_config_load (s_dir, err, sizeof err);
    if (!config) {
        if (!err [0])
            abort ();
        return 0;
    }
    if (config->node.node_id == 0 || config->node.tier == FG_TIER_NONE
    ||  fg_org_tier (config->node.org) != config->node.tier
    ||  !config->dir || !config->path || !config->data)
        abort ();
    fg_config_destroy (&config);
    return 0;
}
