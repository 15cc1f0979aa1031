/*  fg_org.c - statistical division codes and containment. */
#include "fg_org.h"

int
fg_org_level (const char *code)
{
    if (!code)
        return 0;
    size_t len = strlen (code);
    if (strspn (code, "0123456789") != len)
        return 0;
    if (len == 6)
        return memcmp (code + 4, "00", 2) == 0 ? 1 : 2;
    if (len == 9)
        return 3;
    if (len == 12)
        return 4;
    return 0;
}

//  Length of the significant prefix by level (0: not a code).
static const size_t s_prefix_len [] = { 0, 4, 6, 9, 12 };

size_t
fg_org_prefix_len (const char *code)
{
    return s_prefix_len [fg_org_level (code)];
}

bool
fg_org_contains (const char *outer, const char *inner)
{
    size_t prefix = fg_org_prefix_len (outer);
    int outer_level = fg_org_level (outer);
    int inner_level = fg_org_level (inner);
    if (!prefix || !inner_level || inner_level < outer_level)
        return false;
    return strncmp (outer, inner, prefix) == 0;
}

bool
fg_org_related (const char *a, const char *b)
{
    return fg_org_contains (a, b) || fg_org_contains (b, a);
}

void
fg_org_common (const char *a, const char *b, char *out)
{
    int la = fg_org_level (a), lb = fg_org_level (b);
    if (!la) {
        snprintf (out, 13, "%s", lb ? b : "");
        return;
    }
    if (!lb) {
        snprintf (out, 13, "%s", a);
        return;
    }
    int level = la < lb ? la : lb;
    for (; level > 1; level--)
        if (strncmp (a, b, s_prefix_len [level]) == 0)
            break;
    if (level == 1) {
        memcpy (out, a, 4);
        memcpy (out + 4, "00", 3);
    }
    else {
        memcpy (out, a, s_prefix_len [level]);
        out [s_prefix_len [level]] = 0;
    }
}

int
fg_org_township_of (const char *code, char *out)
{
    if (fg_org_level (code) < 3)
        return -1;
    snprintf (out, 10, "%.9s", code);
    return 0;
}

fg_tier_t
fg_org_tier (const char *code)
{
    switch (fg_org_level (code)) {
        case 1:  return FG_TIER_PREFECTURE;
        case 2:  return FG_TIER_COUNTY;
        case 3:  return FG_TIER_TOWNSHIP;
        default: return FG_TIER_NONE;
    }
}

uint16_t
fg_org_default_node_id (const char *code)
{
    int level = fg_org_level (code);
    if (level == 1)
        return 1;
    if (level == 2) {
        int county = atoi (code + 4);
        return county >= 1 ? (uint16_t) (100 + county) : 0;
    }
    if (level == 3) {
        char cc [3] = { code [4], code [5], 0 };
        int county = atoi (cc);
        int township = atoi (code + 6);
        long id = (long) county * 1000 + township;
        return county >= 1 && id < 65536 ? (uint16_t) id : 0;
    }
    return 0;
}
